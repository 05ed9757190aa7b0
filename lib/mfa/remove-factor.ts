import { z } from 'zod';
import { recordAudit } from '@/lib/audit/record';
import type { ActionState } from '@/lib/auth/guards';
import type { Actor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { enqueueMail } from '@/lib/mail/outbox';
import { secondFactorChangedMail } from '@/lib/mail/templates/second-factor-changed';
import { accountContact, auditSubject, ownerOf } from '@/lib/mfa/account';
import { checkFreshSecondFactor, FRESH_FACTOR_MISSING, freshFactorFields } from '@/lib/mfa/check-fresh-second-factor';
import { mustHavePasskey } from '@/lib/mfa/passkey-policy';
import { mustHaveSecondFactor, ownerWhere } from '@/lib/mfa/policy';

export const removeFactorSchema = z.object({ factorId: z.string().min(1).max(40), ...freshFactorFields });

export async function removeFactor(actor: Actor, input: z.infer<typeof removeFactorSchema>, ip: string): Promise<ActionState> {
  const owner = ownerOf(actor);
  const factor = await db().mfaFactor.findFirst({ where: { id: input.factorId, ...ownerWhere(owner), confirmedAt: { not: null } } });
  if (!factor) return { ok: false, message: 'That factor is no longer on your account.' };
  const others = await db().mfaFactor.count({ where: { ...ownerWhere(owner), confirmedAt: { not: null }, id: { not: factor.id } } });
  const agency =
    actor.kind === 'agency'
      ? await db().agency.findUniqueOrThrow({ where: { id: actor.agencyId }, select: { requireSecondFactorForAllStaff: true, requirePasskeyForAdmins: true } })
      : null;
  const required = actor.kind === 'vendor' || mustHaveSecondFactor({ kind: 'agency', role: actor.role, ...agency! });
  if (required && others === 0) return { ok: false, message: 'Your account must keep a second factor. Add another one before you remove this one.' };
  if (factor.kind === 'PASSKEY' && actor.kind === 'agency' && mustHavePasskey(actor.role, agency!)) {
    const otherPasskeys = await db().mfaFactor.count({ where: { ...ownerWhere(owner), kind: 'PASSKEY', confirmedAt: { not: null }, id: { not: factor.id } } });
    if (otherPasskeys === 0) return { ok: false, message: 'Your agency requires administrators to keep a passkey. Add another passkey before you remove this one.' };
  }
  const used = await checkFreshSecondFactor(actor, input, ip, 'remove factor');
  if (!used) return FRESH_FACTOR_MISSING;
  if (!used.ok) return { ok: false, message: 'That code is not right.', fieldErrors: { code: ['That code is not right, or it was already used.'] } };
  const contact = await accountContact(owner);
  await db().$transaction(async (tx) => {
    await tx.mfaFactor.delete({ where: { id: factor.id } });
    if (others === 0) await tx.recoveryCode.deleteMany({ where: ownerWhere(owner) });
    await recordAudit(tx, {
      ...auditSubject(actor, ip),
      action: 'SECOND_FACTOR_REMOVED',
      outcome: 'SUCCESS',
      details: { factor: factor.kind, factorId: factor.id, confirmedWith: used.ok ? used.kind : null },
    });
    if (contact) await enqueueMail(tx, secondFactorChangedMail(contact, 'second factor removed', new Date()));
  });
  return { ok: true, message: `"${factor.name}" has been removed.` };
}
