import { formatDateTime } from '@/lib/format/date';
import type { Metadata } from 'next';
import Link from 'next/link';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { AdminNav } from '@/components/admin/admin-nav';
import { DoneNotice } from '@/components/ui/done-notice';
import { StackTable } from '@/components/ui/stack-table';
import { ADMIN_ACCESS } from '@/lib/admin/access';
import { auditForeignTargetRead, isDisabled, refusalWhileDisabled } from '@/lib/admin/admin-target';
import { getUserForAdmin } from '@/lib/admin/get-user-for-admin';
import { canAdmin } from '@/lib/admin/permissions';
import { getAgencyPolicy } from '@/lib/admin/update-agency-policy';
import { USER_PAGE_DONE } from '@/lib/admin/console-done';
import { auditActionLabel } from '@/lib/audit/action-labels';
import { appOrigin } from '@/lib/auth/cross-site';
import { requirePageActor } from '@/lib/auth/guards';
import { requestClientIp } from '@/lib/http/client-ip';
import { isSentByAnotherSite } from '@/lib/http/same-origin';
import { firstValues, type PageSearchParams } from '@/lib/http/search-params';
import { ROLE_LABEL } from '@/lib/auth/role-labels';
import { AccountActionForm } from './account-action-form';
import { sendResetLinkAction, setStatusAction, unlockAction } from './actions';
import { RoleChangeForm } from './role-change-form';
import { ActionNotices } from '@/components/ui/action-notices';
import { countSecondFactors } from '@/lib/mfa/policy';
import { newFormKey } from '@/lib/http/form-key';
import { formOwnerOf } from '@/lib/mfa/account';
import { ResetPasswordPanel } from './reset-password-panel';
import { passkeyConfirmationOptionsAction } from '@/app/(staff)/account/security/actions';
import { appCodesRefused, hasPasskey } from '@/lib/mfa/passkey-policy';

export const metadata: Metadata = { title: 'User' };

const TEMPORARY_LABELS = {
  none: 'None issued',
  issued: 'Issued, not used yet',
  'signed-in': 'Used to sign in; the person has not chosen a new password yet',
  used: 'Used: the person chose their own password',
  expired: 'Expired before the person chose a new password',
} as const;

const RESET_LINK_LABELS = {
  open: 'Not used yet',
  used: 'Used: the person chose their own password',
  ended: 'Ended before it was used (a newer reset, a password change or a disabled account ends it)',
  expired: 'Expired before it was used',
} as const;

/** How the link's life ended, or when it will. */
function linkEnd(
  link: { state: keyof typeof RESET_LINK_LABELS; usedAt: Date | null; endedAt: Date | null; expiresAt: Date },
  when: (date: Date | null) => string,
): string {
  if (link.state === 'used') return `used ${when(link.usedAt)}`;
  if (link.state === 'ended') return `ended ${when(link.endedAt)}`;
  return `valid until ${when(link.expiresAt)}`;
}

export default async function AdminUserPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: PageSearchParams }) {
  const { id } = await params;
  const { done } = await firstValues(searchParams);
  const actor = await requirePageActor(ADMIN_ACCESS, `/admin/users/${id}`);
  const when = (date: Date | null) => (date ? formatDateTime(date, actor.agencyTimeZone) : '—');
  const detail = await getUserForAdmin(actor, id);
  // Another agency's user simply does not exist here; the try is on the record.
  if (!detail) {
    await auditForeignTargetRead(actor, id, await requestClientIp(), isSentByAnotherSite(await headers(), appOrigin()));
    notFound();
  }
  const { user, lock, temporaryPassword, resetLink, recentEvents } = detail;
  // Another admin may have given a temporary password a moment ago, answering the same help request: a reset
  // now ends it, or the change of password its owner is making with it (review r52d F4).
  const givenBy = `${temporaryPassword.issuedBy ?? 'An administrator'} gave a temporary password ${when(temporaryPassword.issuedAt)}`;
  const resetCaution =
    temporaryPassword.state === 'issued'
      ? `${givenBy}, not used yet: resetting now ends it, and whoever was told it will need the new one.`
      : temporaryPassword.state === 'signed-in'
        ? `${givenBy}, and ${user.displayName} signed in with it and is choosing a new password now: resetting now signs them out of that.`
        : null;
  const rules = await getAgencyPolicy(actor.agencyId);
  const may = (capability: Parameters<typeof canAdmin>[1]) => canAdmin(actor, capability, user, rules);
  const self = user.id === actor.userId;
  const disabled = isDisabled(user);
  const secondFactors = await countSecondFactors({ kind: 'user', id: user.id });
  const actorHasPasskey = await hasPasskey({ kind: 'user', id: actor.userId });
  const actorAppCodesRefused = await appCodesRefused(actor);

  return (
    <div className="wide-content">
      <AdminNav actor={actor} current="/admin" />
      <p>
        <Link href="/admin">All users</Link>
      </p>
      <h1>{user.displayName}</h1>
      <DoneNotice messages={USER_PAGE_DONE} done={done} pathname={`/admin/users/${encodeURIComponent(id)}`} viewer={actor} />
      <dl className="summary">
        <dt>Login name</dt>
        <dd>{user.loginName}</dd>
        <dt>Role</dt>
        <dd>{ROLE_LABEL[user.role]}</dd>
        <dt>Status</dt>
        <dd>{user.status === 'ACTIVE' ? 'Active' : 'Disabled'}</dd>
        <dt>E-mail on record</dt>
        <dd>{user.email ?? 'None'}</dd>
        <dt>Last sign-in</dt>
        <dd>{when(user.lastSignInAt)}</dd>
        <dt>Password last changed</dt>
        <dd>{when(user.passwordChangedAt)}</dd>
      </dl>

      <h2>Lock</h2>
      {lock.locked ? (
        <div className="notice warning" data-testid="lock-state">
          <p>
            <strong>{lock.hard ? 'Locked until an administrator unlocks it or resets the password.' : `Locked until ${when(lock.lockedUntil)}.`}</strong>
          </p>
          <p>
            {lock.failures} failed sign-in{lock.failures === 1 ? '' : 's'} in a row, first {when(lock.firstFailedAt)}, last {when(lock.lastFailedAt)}
            {lock.addresses.length > 0 && <>, from {lock.addresses.join(', ')}</>}.
          </p>
        </div>
      ) : (
        <p data-testid="lock-state">
          Not locked.{lock.failures > 0 && ` ${lock.failures} recent failed sign-in${lock.failures === 1 ? '' : 's'}${lock.addresses.length ? ` from ${lock.addresses.join(', ')}` : ''}.`}
        </p>
      )}

      <h2>Temporary password</h2>
      <p data-testid="temporary-password-state">
        {TEMPORARY_LABELS[temporaryPassword.state]}
        {temporaryPassword.issuedAt && ` (issued ${when(temporaryPassword.issuedAt)}${temporaryPassword.issuedBy ? ` by ${temporaryPassword.issuedBy}` : ''}, valid until ${when(temporaryPassword.expiresAt)})`}
      </p>

      {(resetLink || user.email) && (
        <>
          <h2>Reset link by e-mail</h2>
          <p data-testid="reset-link-state">
            {/* Whether its mail went out is the delivery line's to say, never this one's (decision 020; review r53e F2). Links are kept 30 days. */}
            {resetLink ? `${RESET_LINK_LABELS[resetLink.state]} (issued ${when(resetLink.issuedAt)}${resetLink.issuedBy ? ` by ${resetLink.issuedBy}` : ''}, ${linkEnd(resetLink, when)})` : 'None in the last 30 days'}
          </p>
          {/* Sending only queues the mail: whether it went out is the outbox's to say. Links from before this was kept have no delivery to show. */}
          {resetLink?.delivery && (
            <p className={`notice ${resetLink.delivery.state === 'sent' ? 'success' : resetLink.delivery.state === 'queued' ? '' : 'warning'}`} data-testid="reset-link-delivery">
              <strong>The link’s e-mail: </strong>
              {resetLink.delivery.words}
            </p>
          )}
        </>
      )}

      <h2>Actions</h2>
      {self ? (
        <p className="notice">This is your own account. To reset or unlock it, ask another administrator of your agency.</p>
      ) : (
        <ActionNotices>
          {!may('users:reset-password').allowed ? (
            <p className="muted">{(may('users:reset-password') as { message: string }).message}</p>
          ) : disabled ? (
            // Each reset would be refused (refusalWhileDisabled): the page says so, rather than offer them.
            <p className="muted">{refusalWhileDisabled(user, 'reset the password, send a reset link or clear the second factors')!.message}</p>
          ) : (
            <ResetPasswordPanel userId={user.id} expectedVersion={user.sessionVersion} personName={user.displayName} caution={resetCaution} />
          )}
          {user.email && !disabled && may('users:send-reset-link').allowed && (
            <div className="actions-row">
              {/* A key per rendering: a double click mails one link, not two of which the first is dead; the page is drawn again (with a new key) after each. */}
              <AccountActionForm action={sendResetLinkAction} fields={{ userId: user.id, formKey: newFormKey(formOwnerOf(actor)) }} label="E-mail a reset link instead" secondary refreshAfter />
            </div>
          )}
          <div className="actions-row">
            {may('users:unlock').allowed && <AccountActionForm action={unlockAction} fields={{ userId: user.id }} label="Unlock" secondary available={lock.locked} />}
            {may('users:set-status').allowed && (
              <AccountActionForm
                action={setStatusAction}
                fields={{ userId: user.id, status: user.status === 'ACTIVE' ? 'DISABLED' : 'ACTIVE' }}
                label={user.status === 'ACTIVE' ? 'Disable account' : 'Enable account'}
                secondary
              />
            )}
          </div>
          {may('users:change-role').allowed && (
            <>
              <h3>Role</h3>
              <RoleChangeForm
                userId={user.id}
                currentRole={user.role}
                formKey={newFormKey(formOwnerOf(actor))}
                freshPasskey={actorHasPasskey ? passkeyConfirmationOptionsAction : undefined}
                appCodesRefused={actorAppCodesRefused}
              />
            </>
          )}
          <h3>Second factors</h3>
          <p>{secondFactors === 0 ? 'None set up.' : `${secondFactors} set up (authenticator apps or passkeys).`}</p>
          {may('users:clear-second-factors').allowed && !disabled ? (
            <ResetPasswordPanel
              userId={user.id}
              expectedVersion={user.sessionVersion}
              personName={user.displayName}
              kind="second-factors"
              available={secondFactors > 0}
              freshPasskey={actorHasPasskey ? passkeyConfirmationOptionsAction : undefined}
              appCodesRefused={actorAppCodesRefused}
              formKey={newFormKey(formOwnerOf(actor))}
              caution={resetCaution}
            />
          ) : (
            secondFactors > 0 && !disabled && <p className="muted">{(may('users:clear-second-factors') as { message: string }).message}</p>
          )}
        </ActionNotices>
      )}

      <h2>Recent activity</h2>
      <StackTable
        rows={recentEvents}
        rowKey={(event) => event.seq}
        empty="No recorded activity."
        columns={[
          { label: 'When', cell: (event) => when(event.createdAt) },
          { label: 'What', cell: (event) => auditActionLabel(event.action) },
          { label: 'Outcome', cell: (event) => event.outcome.toLowerCase() },
          { label: 'Address', cell: (event) => event.ip ?? '—' },
        ]}
      />
    </div>
  );
}
