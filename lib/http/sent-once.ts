import { db, type Tx } from '@/lib/db/client';

// A form that creates something (an incident, an update, a maintenance window, a help request, a
// reset link) carries a key made for its rendering. The transaction that does the work claims the
// key, so the same rendering sent twice (a double click without JavaScript, a POST the browser or
// a proxy sent again) does the work, and sends its mail, once: also when both copies arrive at once.
// Decision 017 made the super-admin form so; this is the same rule for every such form. The page
// renders the key with <FormKey /> (components/ui/form-key.tsx).

/** What a form sent again answers: the first copy did the work. */
export const SENT_ALREADY = { ok: true, message: 'Done. (The form was sent twice; it was done once.)' } as const;

/** The sent-again signal of `onceForForm`. */
export const ALREADY_SENT = Symbol('already sent');

/** Whether this rendering of `form` was sent, and its work done, before. */
export async function sentBefore(form: string, key: string | undefined, database: Pick<Tx, 'sentForm'> = db()): Promise<boolean> {
  return key !== undefined && (await database.sentForm.findUnique({ where: { key: `${form}:${key}` }, select: { key: true } })) !== null;
}

/**
 * Claims `key` for `form` in the caller's transaction: false when this rendering was sent before.
 * Without a key there is nothing to claim.
 */
export async function claimFormKey(tx: Tx, form: string, key: string | undefined): Promise<boolean> {
  if (key === undefined) return true;
  if (await sentBefore(form, key, tx)) return false;
  await tx.sentForm.create({ data: { key: `${form}:${key}` } });
  return true;
}

/**
 * Runs `work` (a transaction that calls claimFormKey first) and tells a copy sent again: ALREADY_SENT
 * when the key was claimed before, or by a copy committed while this one ran (its claim then fails
 * on the key's uniqueness and the transaction is rolled back: nothing of it was written).
 */
export async function onceForForm<T>(form: string, key: string | undefined, work: () => Promise<T | typeof ALREADY_SENT>): Promise<T | typeof ALREADY_SENT> {
  try {
    return await work();
  } catch (error) {
    if (await sentBefore(form, key)) return ALREADY_SENT;
    throw error;
  }
}
