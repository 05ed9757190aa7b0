import type { Metadata } from 'next';
import Link from 'next/link';
import { StatusForm } from './status-form';
import { publicPage } from '@/lib/auth/guards';

export const metadata: Metadata = { title: 'Check the state of your request' };

export default publicPage(function RequestStatusPage() {
  return (
    <>
      <h1>Check the state of your request</h1>
      <p>Enter the reference number you were given and the login name the request was for.</p>
      <StatusForm />
      <p style={{ marginTop: '2rem' }}>
        <Link href="/super-admin-reset">Send a new request</Link>
      </p>
    </>
  );
});
