import { AsyncLocalStorage } from 'node:async_hooks';
import { db, type Tx } from '@/lib/db/client';

// A change an account makes from one of its sessions (a password changed, a factor added or removed, new recovery
// codes) moves the account's session version, and that session's with it: it carries on, every other ends. Once
// the action that made the change is done, its browser is kept known at the new version (known-browser.ts). Only
// that action's: a request that merely saw the version move (another tab's, or a thief's copy of the session cookie
// while the owner made the change) gets nothing (review r46b F1).

type Moved = { sessionId: string; version: number } | null;
type Note = { moved: Moved };

// Kept on globalThis: the bundler may give each route its own copy of this module.
const holder = globalThis as unknown as { portalOwnChange?: AsyncLocalStorage<Note> };
const notes = (holder.portalOwnChange ??= new AsyncLocalStorage<Note>());

/** Moves the changing session to the account's new version, noted for the action it runs in (noteOwnChange). */
export async function carrySessionOn(tx: Tx, sessionId: string, version: number): Promise<void> {
  await tx.authSession.update({ where: { id: sessionId }, data: { sessionVersion: version } });
  noteOwnMove(sessionId, version);
}

/**
 * Notes, for the action it runs in, that its session is at `version` by a change of its own: its own move, or the
 * same form's first copy's when this copy found the change made (a double press without JavaScript: the browser
 * shows this copy's answer, not the first's; review r46c F1).
 */
export function noteOwnMove(sessionId: string, version: number): void {
  const note = notes.getStore();
  if (note) note.moved = { sessionId, version };
}

/**
 * Notes, for the action it runs in, the move a form's first copy made: this copy carries the same rendering's key
 * (drawn into the account's own page) and found its work done (withFormKeyHeld's `sentAlready`; a double press
 * without JavaScript), and the browser shows this copy's answer (review r46d F2). The version is the session's
 * now: a later change of its own on the same session is that browser's too. It helps only a copy whose browser
 * was known at the version it was read at (keepKnownAcrossOwnChange), one read before the first copy committed.
 */
export async function noteFirstCopysMove(sessionId: string): Promise<void> {
  if (!notes.getStore()) return;
  const session = await db().authSession.findUnique({ where: { id: sessionId }, select: { sessionVersion: true, endedAt: true } });
  if (session && !session.endedAt) noteOwnMove(sessionId, session.sessionVersion);
}

/**
 * Runs an action's work, then `after` with the version its own change moved its session to (null when it made
 * none), whether the work returned or threw (a redirect throws). The move may not have committed: `after` checks.
 */
export function noteOwnChange<T>(work: () => Promise<T>, after: (moved: Moved) => Promise<void>): Promise<T> {
  const note: Note = { moved: null };
  return notes.run(note, work).finally(() => after(note.moved));
}
