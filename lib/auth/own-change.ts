import { AsyncLocalStorage } from 'node:async_hooks';
import { db, type Tx } from '@/lib/db/client';
import { formKeyHeldNow, noteFormCopies, type FirstCopysMove } from '@/lib/http/sent-once';

// A change an account makes from one of its sessions (a password changed, a factor added or removed, new recovery
// codes) moves the account's session version, and that session's with it: it carries on, every other ends. Once
// the action that made the change is done, its browser is kept known at the new version (known-browser.ts). Only
// that action's: a request that merely saw the version move (another tab's, or a thief's copy of the session cookie
// while the owner made the change) gets nothing (review r46b F1).

/** `from`: only for a move made by a form's first copy, told to a copy of it: the version it moved the session from. */
type Moved = { sessionId: string; version: number; from?: number } | null;
type Note = { moved: Moved };

// Kept on globalThis: the bundler may give each route its own copy of this module.
const holder = globalThis as unknown as { portalOwnChange?: AsyncLocalStorage<Note> };
const notes = (holder.portalOwnChange ??= new AsyncLocalStorage<Note>());

/**
 * Moves the changing session to the account's new version, noted for the action it runs in (noteOwnChange), and
 * recorded with the form key its work holds, for a copy of the same rendering (firstCopysMove below).
 */
export async function carrySessionOn(tx: Tx, sessionId: string, version: number): Promise<void> {
  const heldFormKey = formKeyHeldNow();
  const before = heldFormKey && (await tx.authSession.findUniqueOrThrow({ where: { id: sessionId }, select: { sessionVersion: true } }));
  await tx.authSession.update({ where: { id: sessionId }, data: { sessionVersion: version } });
  if (heldFormKey && before) {
    await tx.sentForm.updateMany({ where: { key: heldFormKey }, data: { movedSessionId: sessionId, movedFromVersion: before.sessionVersion, movedToVersion: version } });
  }
  noteOwnMove(sessionId, version);
}

/** Notes, for the action it runs in, that its session is at `version` by a change of its own. */
function noteOwnMove(sessionId: string, version: number): void {
  const note = notes.getStore();
  if (note) note.moved = { sessionId, version };
}

/**
 * Runs an action's work, then `after` with the version its own change moved its session to (null when it made
 * none), whether the work returned or threw (a redirect throws). The move may not have committed: `after` checks.
 */
export function noteOwnChange<T>(work: () => Promise<T>, after: (moved: Moved) => Promise<void>): Promise<T> {
  const note: Note = { moved: null };
  const copies: { firstCopysMove?: FirstCopysMove } = {};
  return notes.run(note, () => noteFormCopies(copies, work)).finally(() => after(note.moved ?? firstCopysMove(copies.firstCopysMove)));
}

/**
 * The move a form's first copy made, for a copy of the same rendering that found its work done (a double press
 * without JavaScript: the browser shows this copy's answer; review r46d F2). keepKnownAcrossOwnChange acts on it
 * only for a copy read at the version it moved from, on the same session, while the session is still where it moved
 * it: an old key sent again, or a copy that straddled another change, gets nothing (review r47a F1).
 */
function firstCopysMove(move: FirstCopysMove | undefined): Moved {
  return move ? { sessionId: move.sessionId, version: move.to, from: move.from } : null;
}

/** Whether the session is still open at `version`, where a change of its own moved it: nothing ended or moved it since. */
export async function sessionStillAt(sessionId: string, version: number): Promise<boolean> {
  const session = await db().authSession.findUnique({ where: { id: sessionId }, select: { sessionVersion: true, endedAt: true } });
  return session !== null && session.endedAt === null && session.sessionVersion === version;
}
