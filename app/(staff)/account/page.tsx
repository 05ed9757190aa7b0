import type { Metadata } from 'next';
import Link from 'next/link';
import { DoneNotice } from '@/components/ui/done-notice';
import { requirePageActor } from '@/lib/auth/guards';
import { PASSWORD_CHANGED_DONE } from '@/lib/auth/change-own-password';
import { ROLE_LABEL } from '@/lib/auth/role-labels';
import { firstValues, type PageSearchParams } from '@/lib/http/search-params';

export const metadata: Metadata = { title: 'Your account' };

export default async function AccountPage({ searchParams }: { searchParams: PageSearchParams }) {
  const actor = await requirePageActor({ principal: 'agency' }, '/account');
  const { done } = await firstValues(searchParams);
  return (
    <>
      <DoneNotice messages={PASSWORD_CHANGED_DONE} done={done} pathname="/account" viewer={actor} />
      <h1>You are signed in</h1>
      <dl className="summary">
        <dt>Name</dt>
        <dd>{actor.displayName}</dd>
        <dt>Login name</dt>
        <dd>{actor.loginName}</dd>
        <dt>Agency</dt>
        <dd>
          {actor.agencyName} ({actor.agencyCode})
        </dd>
        <dt>Role</dt>
        <dd>{ROLE_LABEL[actor.role]}</dd>
      </dl>
      <ul>
        <li>
          <Link href="/change-password">Change your password</Link>
        </li>
        {actor.role !== 'STAFF' && (
          <li>
            <Link href="/admin">Admin console</Link>: reset passwords and unlock accounts of {actor.agencyName}
          </li>
        )}
      </ul>
    </>
  );
}
