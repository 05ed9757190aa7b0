import { z } from 'zod';
import { recordAudit } from '@/lib/audit/record';
import type { ActionState } from '@/lib/auth/guards';
import { endOtherSessions } from '@/lib/auth/end-account-access';
import type { Actor } from '@/lib/auth/session';
import { db, type Tx } from '@/lib/db/client';
import { formKeyField } from '@/lib/http/form-key';
import { formAbout, withFormKeyHeld } from '@/lib/http/sent-once';
import { enqueueMail } from '@/lib/mail/outbox';
import { secondFactorChangedMail } from '@/lib/mail/templates/second-factor-changed';
import { accountContact, auditSubject, formOwnerOf, holdOwnFactors, ownerOf, SIGNED_OUT_MEANWHILE } from '@/lib/mfa/account';
import { checkFreshSecondFactor, freshFactorFields } from '@/lib/mfa/check-fresh-second-factor';
import { mustHavePasskey } from '@/lib/mfa/passkey-policy';
import { mustHaveSecondFactor, ownerWhere } from '@/lib/mfa/policy';

export const removeFactorSchema = z.object({ factorId: z.string().min(1).max(40), ...freshFactorFields, ...formKeyField });

const FORM = 'remove-second-factor';

/**
 * What the security page says after a removal (`?done=`): the removed factor's form, and the answer
 * drawn in it, leave the page with the factor (review r38b I3).
 */
export const REMOVAL_DONE = { 'factor-removed': 'The second factor has been removed, and you were signed out everywhere else.' } as const;

const KEEP_A_FACTOR = 'Your account must keep a second factor. Add another one before you remove this one.';
const KEEP_A_PASSKEY = 'Your agency requires administrators to keep a passkey. Add another passkey before you remove this one.';

/**
 * Why this factor may not go, counting the owner's other confirmed factors through `database`: the
 * last factor of an account that must have one, or an admin's last passkey where the agency asks
 * for one. Null when it may go.
 */
async function mustKeep(actor: Actor, factor: { id: string; kind: string }, database: Pick<Tx, 'mfaFactor' | 'agency'>): Promise<string | null> {
  const owner = ownerOf(actor);
  const others = (kind?: 'PASSKEY') =>
    database.mfaFactor.count({ where: { ...ownerWhere(owner), confirmedAt: { not: null }, id: { not: factor.id }, ...(kind ? { kind } : {}) } });
  const agency =
    actor.kind === 'agency'
      ? await database.agency.findUniqueOrThrow({ where: { id: actor.agencyId }, select: { requireSecondFactorForAllStaff: true, requirePasskeyForAdmins: true } })
      : null;
  const required = actor.kind === 'vendor' || mustHaveSecondFactor({ kind: 'agency', role: actor.role, ...agency! });
  if (required && (await others()) === 0) return KEEP_A_FACTOR;
  if (factor.kind === 'PASSKEY' && actor.kind === 'agency' && mustHavePasskey(actor.role, agency!) && (await others('PASSKEY')) === 0) return KEEP_A_PASSKEY;
  return null;
}

/**
 * The same rendering of "Remove" sent again (a double click, whose copy waits for the first): the first
 * used its code, and checking it again would count a wrong code. Its page says the factor was removed.
 */
export const REMOVED_ALREADY = { ok: true, message: 'That factor was removed already, from this page.' } as const;

export async function removeFactor(actor: Actor, input: z.infer<typeof removeFactorSchema>, ip: string): Promise<ActionState> {
  return withFormKeyHeld(formAbout(FORM, input.factorId), input.formKey, formOwnerOf(actor), REMOVED_ALREADY, (claim) => removeHeld(actor, input, ip, claim));
}

async function removeHeld(actor: Actor, input: z.infer<typeof removeFactorSchema>, ip: string, claim: (tx: Tx) => Promise<void>): Promise<ActionState> {
  const owner = ownerOf(actor);
  const factor = await db().mfaFactor.findFirst({ where: { id: input.factorId, ...ownerWhere(owner), confirmedAt: { not: null } } });
  if (!factor) return { ok: false, message: 'That factor is no longer on your account.' };
  // Said before a code is asked for and used up; asked again below, where removals take turns.
  const refusal = await mustKeep(actor, factor, db());
  if (refusal) return { ok: false, message: refusal };
  const used = await checkFreshSecondFactor(actor, input, ip, 'remove factor');
  if (!used.ok) return used.refusal;
  const contact = await accountContact(owner);
  const outcome = await db().$transaction(async (tx) => {
    if (!(await holdOwnFactors(tx, actor))) return SIGNED_OUT_MEANWHILE.message;
    // A removal of another factor in parallel may have left this one the last.
    const stillRefused = await mustKeep(actor, factor, tx);
    if (stillRefused) return stillRefused;
    const deleted = await tx.mfaFactor.deleteMany({ where: { id: factor.id } });
    if (deleted.count === 0) return 'That factor is no longer on your account.';
    await claim(tx);
    const left = await tx.mfaFactor.count({ where: { ...ownerWhere(owner), confirmedAt: { not: null } } });
    if (left === 0) await tx.recoveryCode.deleteMany({ where: ownerWhere(owner) });
    // A passkey is a whole sign-in: the sessions it opened (perhaps someone else's) end with it.
    const otherSessionsEnded = await endOtherSessions(tx, actor, new Date());
    await recordAudit(tx, {
      ...auditSubject(actor, ip),
      action: 'SECOND_FACTOR_REMOVED',
      outcome: 'SUCCESS',
      details: { factor: factor.kind, factorId: factor.id, confirmedWith: used.ok ? used.kind : null, otherSessionsEnded },
    });
    if (contact) await enqueueMail(tx, secondFactorChangedMail(contact, 'second factor removed', new Date()));
    return null;
  });
  if (outcome) return { ok: false, message: outcome };
  return { ok: true, message: `"${factor.name}" has been removed, and you were signed out everywhere else.` };
}
