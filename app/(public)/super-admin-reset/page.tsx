import type { Metadata } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import { newIdempotencyKey } from '@/lib/super-admin/submit-request';
import { NO_EMAIL_FOR_REQUESTER } from '@/lib/super-admin/state-words';
import { RequestForm } from './request-form';
import { publicPage } from '@/lib/auth/guards';

export const metadata: Metadata = { title: 'Super administrator password reset request' };

export default publicPage(async function SuperAdminResetPage() {
  // Rendered per request, never prerendered: each rendering carries its own idempotency key.
  await connection();
  return (
    <>
      <h1>Super administrator password reset request</h1>
      <p className="lead">
        Use this form only if you are a provider administrator or super administrator, you cannot sign in, and no other
        administrator of your agency can reset your password.
      </p>
      <p>
        If another administrator can help, ask them first: they can reset your password at once. Staff who are not
        administrators should <Link href="/help">follow the sign-in help guide</Link> and ask their administrator.
      </p>
      <h2>What happens next</h2>
      <ol>
        <li>A CareNotes verifier checks your request against our records.</li>
        <li>They call your agency’s phone number on record, never the number you type here.</li>
        <li>A second verifier approves it.</li>
        <li>A single-use link to choose a new password is e-mailed to the address on record for your account.</li>
      </ol>
      <p className="notice">
        CareNotes staff never see, choose or send a password, and no one from CareNotes will ever ask for yours.
      </p>
      <p>{NO_EMAIL_FOR_REQUESTER}</p>
      <RequestForm idempotencyKey={newIdempotencyKey()} />
      <p style={{ marginTop: '2rem' }}>
        Already sent a request? <Link href="/super-admin-reset/status">Check the state of your request</Link>.
      </p>
    </>
  );
});
