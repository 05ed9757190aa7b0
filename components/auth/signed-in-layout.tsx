import type { ReactNode } from 'react';
import { SignOutWhenIdle } from './sign-out-when-idle';

/** The layout of every group of signed-in pages: the page, and the idle sign-out where the session has one. */
export default function SignedInLayout({ children }: { children: ReactNode }) {
  return (
    <>
      {children}
      <SignOutWhenIdle />
    </>
  );
}
