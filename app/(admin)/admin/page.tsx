import { formatDateTime } from '@/lib/format/date';
import type { Metadata } from 'next';
import Link from 'next/link';
import { AdminNav } from '@/components/admin/admin-nav';
import { DoneNotice } from '@/components/ui/done-notice';
import { SelectField } from '@/components/ui/field';
import { StackTable } from '@/components/ui/stack-table';
import { ADMIN_ACCESS } from '@/lib/admin/access';
import { countFailureLocks, FAILURE_LOCKS_PER_UNLOCK, unlockableOf } from '@/lib/admin/list-failure-locks';
import { canAdmin } from '@/lib/admin/permissions';
import { countActiveSuperAdmins, listAgencyUsers, userListQuerySchema } from '@/lib/admin/list-agency-users';
import { SEARCH_MAX_LENGTH } from '@/lib/validation/search-text';
import { CONSOLE_DONE } from '@/lib/admin/console-done';
import { requirePageActor } from '@/lib/auth/guards';
import { ROLE_LABEL } from '@/lib/auth/role-labels';
import { firstValues, type PageSearchParams } from '@/lib/http/search-params';
import { BulkUnlockForm } from './bulk-unlock-form';

export const metadata: Metadata = { title: 'Admin console' };

const FILTERS = [
  { value: 'all', label: 'Everyone' },
  { value: 'locked', label: 'Locked' },
  { value: 'must-change', label: 'Must change password' },
  { value: 'disabled', label: 'Disabled' },
  { value: 'admins', label: 'Administrators' },
];
const SORTS = [
  { value: 'last-sign-in', label: 'Last sign-in' },
  { value: 'name', label: 'Name' },
];

export default async function AdminUsersPage({ searchParams }: { searchParams: PageSearchParams }) {
  const actor = await requirePageActor(ADMIN_ACCESS, '/admin');
  const values = await firstValues(searchParams);
  const query = userListQuerySchema.parse(values);
  // When the banner counts the locks: its bulk unlock unlocks those (lib/admin/bulk-unlock-users.ts).
  const shownAt = new Date();
  const [{ users, hasNextPage }, superAdmins, failureLocks] = await Promise.all([
    listAgencyUsers(actor, query),
    countActiveSuperAdmins(actor.agencyId),
    countFailureLocks(actor, shownAt),
  ]);
  const unlockable = unlockableOf(actor, failureLocks);
  const pageLink = (page: number) => `/admin?${new URLSearchParams({ ...(query.q ? { q: query.q } : {}), filter: query.filter, sort: query.sort, page: String(page) })}`;

  return (
    <div className="wide-content">
      <AdminNav actor={actor} current="/admin" />
      <DoneNotice messages={CONSOLE_DONE} done={values.done} pathname="/admin" viewer={actor} />
      {superAdmins <= 1 && (
        <p className="notice warning" role="status" data-testid="single-super-admin-warning">
          Your agency has only one active super administrator. If that person is locked out, nobody in your agency can
          manage administrators. {actor.role === 'SUPER_ADMIN' ? 'Make a second person super administrator.' : 'Ask your super administrator to name a second one.'}
        </p>
      )}
      {failureLocks.total > 0 && (
        <section className="notice warning" aria-labelledby="failure-locks-heading" data-testid="failure-locks-banner">
          <h2 id="failure-locks-heading">
            {failureLocks.total.toLocaleString('en-US')} account{failureLocks.total === 1 ? ' was' : 's were'} locked in the last hour by repeated failed sign-ins
          </h2>
          <p>
            This can be someone guessing passwords across your agency. People whose passwords are right can sign in again once
            unlocked; nobody’s password changes.
          </p>
          {canAdmin(actor, 'users:bulk-unlock').allowed && unlockable > 0 && <BulkUnlockForm count={unlockable} perPress={FAILURE_LOCKS_PER_UNLOCK} shownAt={shownAt.getTime()} />}
          {failureLocks.ownAmongThem && <p>Your own account is among them: ask another administrator to unlock it.</p>}
        </section>
      )}
      <h1>Users</h1>
      <form method="get" className="filters" role="search">
        <div className="field">
          <label htmlFor="q">Name or login name</label>
          <input id="q" name="q" type="search" defaultValue={query.q ?? ''} maxLength={SEARCH_MAX_LENGTH} autoComplete="off" spellCheck={false} />
        </div>
        <SelectField name="filter" label="Show" defaultValue={query.filter} options={FILTERS} />
        <SelectField name="sort" label="Sort by" defaultValue={query.sort} options={SORTS} />
        <button className="button" type="submit">
          Search
        </button>
      </form>
      <StackTable
        rows={users}
        rowKey={(user) => user.id}
        empty="No users match."
        columns={[
          { label: 'Name', cell: (user) => <Link href={`/admin/users/${user.id}`}>{user.displayName}</Link> },
          { label: 'Login name', cell: (user) => user.loginName },
          { label: 'Role', cell: (user) => ROLE_LABEL[user.role] },
          {
            label: 'State',
            cell: (user) => (
              <>
                {user.status === 'DISABLED' && <span className="tag">Disabled</span>}
                {user.locked && <span className="tag danger">Locked</span>}
                {user.mustChangePassword && <span className="tag warn">Temporary password</span>}
              </>
            ),
          },
          { label: 'Last sign-in', cell: (user) => (user.lastSignInAt ? formatDateTime(user.lastSignInAt, actor.agencyTimeZone) : 'Never') },
        ]}
      />
      <nav className="pagination" aria-label="Pages">
        {query.page > 1 && <Link href={pageLink(query.page - 1)}>Previous page</Link>}
        {hasNextPage && <Link href={pageLink(query.page + 1)}>Next page</Link>}
      </nav>
    </div>
  );
}
