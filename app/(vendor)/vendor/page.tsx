import type { Metadata } from 'next';
import Link from 'next/link';
import { SignOutButton } from '@/components/auth/sign-out-button';
import { requirePageActor } from '@/lib/auth/guards';

export const metadata: Metadata = { title: 'Vendor workspace' };

export default async function VendorHomePage() {
  const actor = await requirePageActor({ principal: 'vendor' }, '/vendor');
  return (
    <>
      <h1>Vendor workspace</h1>
      <p>
        Signed in as {actor.displayName} ({actor.role === 'VERIFIER' ? 'verifier' : 'status operator'}).
      </p>
      {actor.role === 'VERIFIER' && (
        <p>
          <Link href="/vendor/queue">Super administrator reset requests: the verification queue</Link>
        </p>
      )}
      <p className="notice">Vendor accounts cannot see, set or reset any password, and never act inside an agency.</p>
      <SignOutButton redirectTo="/vendor/login" />
    </>
  );
}
