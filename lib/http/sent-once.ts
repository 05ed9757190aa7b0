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
export async function sentBefore(form: string, key: string | undefined): Promise<boolean> {
  return key !== undefined && (await db().sentForm.findUnique({ where: { key: `${form}:${key}` }, select: { key: true } })) !== null;
}

/**
 * Claims `key` for `form` in the caller's transaction. When this rendering was sent before (or by a
 * copy committing at the same moment), the insert fails on the key's uniqueness and takes the whole
 * transaction with it: nothing of this copy is written, not even what it counted before its claim.
 * Without a key there is nothing to claim.
 */
export async function claimFormKey(tx: Tx, form: string, key: string | undefined): Promise<void> {
  if (key !== undefined) await tx.sentForm.create({ data: { key: `${form}:${key}` } });
}

/** Runs `work`, a transaction that calls claimFormKey: ALREADY_SENT when the claim failed because the form was sent before. */
export async function onceForForm<T>(form: string, key: string | undefined, work: () => Promise<T>): Promise<T | typeof ALREADY_SENT> {
  try {
    return await work();
  } catch (error) {
    if (await sentBefore(form, key)) return ALREADY_SENT;
    throw error;
  }
}
