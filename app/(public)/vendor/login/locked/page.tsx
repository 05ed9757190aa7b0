import type { Metadata } from 'next';
import { SecondFactorLocked } from '@/components/auth/second-factor-locked';
import { publicPage } from '@/lib/auth/guards';

export const metadata: Metadata = { title: 'Sign-in ended' };

export default publicPage(function VendorSecondFactorLockedPage() {
  return <SecondFactorLocked audience="vendor" />;
});
