import type { ReactNode } from 'react';
import { SignOutWhenIdle } from '@/components/auth/sign-out-when-idle';

export default function SignedInLayout({ children }: { children: ReactNode }) {
  return (
    <>
      {children}
      <SignOutWhenIdle />
    </>
  );
}
