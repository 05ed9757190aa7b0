import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { db, type Tx } from '@/lib/db/client';
import { isUniqueClash } from '@/lib/db/unique-clash';
import { keyDrawnFor, RELOAD_AND_SEND_AGAIN } from '@/lib/http/form-key';

// A form that creates something (an incident, an update, a maintenance window, a help request, a
// reset link, a reset link's new password) carries a key made for its rendering. The transaction that does the work claims the
// key, so the same rendering sent twice (a double click without JavaScript, a POST the browser or
// a proxy sent again) does the work, and sends its mail, once: also when both copies arrive at once.
// Decision 017 made the super-admin form so; this is the same rule for every such form. The page
// renders the key with <FormKey /> (components/ui/form-key.tsx).
//
// A form whose work uses up what the person typed (a one-time code) holds its key before that work
// instead (withFormKeyHeld): a copy sent at the same moment must not spend the used code again and be
// told it is wrong, nor count it on the account's lock.

/** What a form sent again answers: the first copy did the work. */
export const SENT_ALREADY = { ok: true, message: 'Done. (The form was sent twice; it was done once.)' } as const;

/** What a form sent with a key drawn for another account, or one another account claimed or holds, is told: it was not drawn for this person. */
export const STALE_RENDERING = { ok: false, message: RELOAD_AND_SEND_AGAIN } as const;

/** Whether onceForForm answered by the key alone (SENT_ALREADY or STALE_RENDERING), for the operators' forms. */
export function answeredByKey<T>(answer: T | typeof SENT_ALREADY | typeof STALE_RENDERING): answer is typeof SENT_ALREADY | typeof STALE_RENDERING {
  return answer === SENT_ALREADY || answer === STALE_RENDERING;
}

/** A move of the acting session's version the first copy's work made, recorded with its key (lib/auth/own-change.ts). */
export type FirstCopysMove = { sessionId: string; from: number; to: number };

/**
 * What a form's work leaves for the action around it: the key the work holds now (where a move it makes is
 * recorded), and the move a rendering's first copy recorded, when this copy found its work done (a double press
 * without JavaScript: the browser shows this copy's answer). Kept on globalThis: the bundler may give each route
 * its own copy of this module.
 */
type FormCopyNote = { heldKey?: string; firstCopysMove?: FirstCopysMove };
const holder = globalThis as unknown as { portalFormCopies?: AsyncLocalStorage<FormCopyNote> };
const formCopyNotes = (holder.portalFormCopies ??= new AsyncLocalStorage<FormCopyNote>());

/** Runs an action's work; `note` then holds what its forms left (the first copy's move). */
export function noteFormCopies<T>(note: FormCopyNote, work: () => Promise<T>): Promise<T> {
  return formCopyNotes.run(note, work);
}

/** The SentForm row of the form key the running work holds, if any. */
export function formKeyHeldNow(): string | undefined {
  return formCopyNotes.getStore()?.heldKey;
}

/** Runs `work` noting that it holds the key `id`, in an action or not. */
function whileHolding<T>(id: string, work: () => Promise<T>): Promise<T> {
  const note = formCopyNotes.getStore();
  if (!note) return formCopyNotes.run({ heldKey: id }, work);
  note.heldKey = id;
  return work().finally(() => (note.heldKey = undefined));
}

/** The sent-again answer of holdFormKey: the row of the first copy's claim. */
type AlreadySent = { sent: NonNullable<Awaited<ReturnType<typeof keyClaim>>> };

/**
 * The name of a form that acts on one record (an account, an incident, a factor): a rendering's key is that
 * record's, and the same key sent with another record's id is another form's, done or refused on its own,
 * not answered "done already" for a record it never touched (review r50a F1).
 */
export const formAbout = (form: string, recordId: string) => `${form}@${recordId}`;

/** The SentForm row of a rendering's `key` for `form`. */
const formKeyId = (form: string, key: string) => `${form}:${key}`;

/** Who claimed (or holds) a rendering's key, and until when it is under way; null while no copy has come. */
function keyClaim(id: string) {
  return db().sentForm.findUnique({
    where: { key: id },
    select: { claimedBy: true, underWayUntil: true, movedSessionId: true, movedFromVersion: true, movedToVersion: true },
  });
}

/** The move of its session the work of this rendering of `form` recorded (lib/auth/own-change.ts), when it made one. */
export async function firstCopysMoveOf(form: string, key: string | undefined): Promise<FirstCopysMove | null> {
  return key === undefined ? null : moveRecordedIn(await keyClaim(formKeyId(form, key)));
}

/** The move a key's row records, when its work made one. */
function moveRecordedIn(row: Awaited<ReturnType<typeof keyClaim>>): FirstCopysMove | null {
  if (row === null || row.movedSessionId === null || row.movedFromVersion === null || row.movedToVersion === null) return null;
  return { sessionId: row.movedSessionId, from: row.movedFromVersion, to: row.movedToVersion };
}

/** Whether this rendering of `form` was sent, and its work done, before, by `claimedBy` (null: a form anyone may send). */
export async function sentBefore(form: string, key: string | undefined, claimedBy: string | null = null): Promise<boolean> {
  if (key === undefined) return false;
  const row = await keyClaim(formKeyId(form, key));
  // A key still held by a copy at its work (withFormKeyHeld) is not done yet (review r43g F4).
  return row !== null && row.claimedBy === claimedBy && row.underWayUntil === null;
}

/**
 * Claims `key` for `form` in the caller's transaction, for `claimedBy` (the account whose rendering it
 * is; null for a form anyone may send). When this rendering was sent before (or by a copy committing at
 * the same moment), the insert fails on the key's uniqueness and takes the whole transaction with it:
 * nothing of this copy is written, not even what it counted before its claim. Without a key there is
 * nothing to claim.
 */
export async function claimFormKey(tx: Tx, form: string, key: string | undefined, claimedBy: string | null = null): Promise<void> {
  if (key !== undefined) await tx.sentForm.create({ data: { key: formKeyId(form, key), claimedBy } });
}

/** Whether a rendering's `key` may be sent by `claimedBy`: a key of a form anyone may send (null), or one drawn for that account. */
function keyIsSenders(key: string | undefined, claimedBy: string | null): boolean {
  return key === undefined || claimedBy === null || keyDrawnFor(key, claimedBy);
}

/**
 * Runs `work`, a transaction that calls claimFormKey: `sentAlready` when the claim failed because
 * `claimedBy` sent this rendering before; STALE_RENDERING, doing nothing, when the key was drawn for
 * another account, or another account claimed it (review r39a F4).
 */
export async function onceForForm<T, A>(
  form: string,
  key: string | undefined,
  claimedBy: string | null,
  sentAlready: A,
  work: () => Promise<T>,
): Promise<T | A | typeof STALE_RENDERING> {
  if (!keyIsSenders(key, claimedBy)) return STALE_RENDERING;
  try {
    return await work();
  } catch (error) {
    const row = key === undefined ? null : await keyClaim(formKeyId(form, key));
    if (row === null) throw error;
    return row.claimedBy === claimedBy ? sentAlready : STALE_RENDERING;
  }
}

/** What withFormKeyHeld answers a copy that waited WAIT_MS for the first, still at its work (or stopped half-way). */
export const STILL_UNDER_WAY = {
  ok: false,
  message: 'This form is still being done, from this page. Open the page again in a minute or two to see what it did.',
} as const;

/** How long a copy waits for the first copy's outcome before it answers STILL_UNDER_WAY: well within a proxy's patience. */
const WAIT_MS = 15_000;

/**
 * How long a copy holds a rendering's key while at its work: a copy of the same rendering waits that
 * long at most, then takes the key over. Longer than any work's transactions may take (each waits at
 * most 10 s for a connection and runs at most 15 s), so only a holder that died is taken over.
 */
const HOLD_MS = 120_000;

/**
 * Runs `work` with the rendering's key held by this copy, for `claimedBy` (the account), from before
 * anything is checked. A copy of the same rendering that comes meanwhile waits for this one's outcome:
 * `sentAlready` once the work called `claim` in its transaction and committed; its own turn when the
 * work was refused (the hold is freed: a wrong code leaves the rendering free to be sent again);
 * STILL_UNDER_WAY when that takes longer than WAIT_MS. A key drawn for another account, or one another
 * account holds, is STALE_RENDERING, and nothing is checked. Without a key, `work` just runs.
 */
export async function withFormKeyHeld<T, A>(
  form: string,
  key: string | undefined,
  claimedBy: string,
  sentAlready: A,
  work: (claim: (tx: Tx) => Promise<void>) => Promise<T>,
): Promise<T | A | typeof STALE_RENDERING | typeof STILL_UNDER_WAY> {
  return keyIsSenders(key, claimedBy) ? withKeyHeld(form, key, claimedBy, sentAlready, work) : STALE_RENDERING;
}

/** withFormKeyHeld for a key that is no page's rendering (a pending session's id, for its code step): whoever holds it first owns it. */
export async function withKeyHeld<T, A>(
  form: string,
  key: string | undefined,
  claimedBy: string,
  sentAlready: A,
  work: (claim: (tx: Tx) => Promise<void>) => Promise<T>,
): Promise<T | A | typeof STALE_RENDERING | typeof STILL_UNDER_WAY> {
  if (key === undefined) return work(async () => {});
  const id = formKeyId(form, key);
  const held = await holdFormKey(id, claimedBy);
  if (typeof held === 'object' && 'sent' in held) {
    const note = formCopyNotes.getStore();
    const move = moveRecordedIn(held.sent);
    if (note && move) note.firstCopysMove = move;
    return sentAlready;
  }
  if (!(held instanceof Date)) return held;
  try {
    // Done: no longer under way. Only while this copy still holds the key: a holder stalled past its hold
    // was taken over, and its work is undone rather than done twice (review r39a F3).
    return await whileHolding(id, () =>
      work(async (tx) => {
        const { count } = await tx.sentForm.updateMany({ where: { key: id, underWayUntil: held }, data: { underWayUntil: null } });
        if (count !== 1) throw new Error(`the hold on form key ${form} lapsed and was taken over while its work ran`);
      }),
    );
  } finally {
    // Refused or failed: the rendering is free again. A claimed key is no longer under way and stays;
    // a database gone meanwhile leaves the hold to lapse.
    await db()
      .sentForm.deleteMany({ where: { key: id, underWayUntil: held } })
      .catch(() => undefined);
  }
}

/** The end of this copy's hold on the key, or what to answer when the rendering was done or is not this account's. */
async function holdFormKey(id: string, claimedBy: string): Promise<Date | AlreadySent | typeof STALE_RENDERING | typeof STILL_UNDER_WAY> {
  const giveUpAt = Date.now() + WAIT_MS;
  let pause = 10;
  for (;;) {
    const until = new Date(Date.now() + HOLD_MS);
    const row = await keyClaim(id);
    if (row === null) {
      if (await createdHold(id, claimedBy, until)) return until;
      continue;
    }
    // A key claimed before keys had owners names none: it cannot be told this account's (review r39a F4).
    if (row.claimedBy !== claimedBy) return STALE_RENDERING;
    if (row.underWayUntil === null) return { sent: row };
    if (row.underWayUntil.getTime() <= Date.now()) {
      // The copy that held it stopped half-way (its instance died): this one takes its turn.
      const { count } = await db().sentForm.updateMany({ where: { key: id, underWayUntil: row.underWayUntil }, data: { underWayUntil: until } });
      if (count === 1) return until;
      continue;
    }
    if (Date.now() >= giveUpAt) return STILL_UNDER_WAY;
    await sleep(pause);
    pause = Math.min(pause * 2, 200);
  }
}

async function createdHold(id: string, claimedBy: string, until: Date): Promise<boolean> {
  try {
    await db().sentForm.create({ data: { key: id, claimedBy, underWayUntil: until } });
    return true;
  } catch (error) {
    if (isUniqueClash(error)) return false;
    throw error;
  }
}
