import type { ReactNode } from 'react';
import { getActor } from '@/lib/auth/guards';
import { newFormKey, tabMarkOf } from '@/lib/http/form-key';
import { formOwnerOf } from '@/lib/mfa/account';
import { DrawnForProvider } from './drawn-for';
import { SignedInDocument } from './fresh-document';
import { LeaveWhenSignedOutElsewhere } from './leave-when-signed-out-elsewhere';
import { SignOutButton } from './sign-out-button';
import { SignOutWhenIdle } from './sign-out-when-idle';

/**
 * The layout of every group of signed-in pages: Sign out on top of each (a console page is long, and
 * on a shared computer the way out should be in sight: review r33b F2), the page, whose forms say whose
 * page it is (DrawnFor), a sign-out in another tab heard, and the idle sign-out where the session has
 * one; the document is marked as one that showed a signed-in page (FreshDocument).
 * The actor is the page's own (getActor is read once per request); a failure to read it is the page's
 * to answer, not the layout's.
 */
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const actor = await framedActor();
  return (
    <>
      {actor && (
        <div className="signed-in-bar no-print">
          <SignOutButton vendor={actor.kind === 'vendor'} />
          <LeaveWhenSignedOutElsewhere vendor={actor.kind === 'vendor'} />
        </div>
      )}
      <DrawnForProvider drawnFor={actor && newFormKey(formOwnerOf(actor))} tabMark={actor && tabMarkOf(formOwnerOf(actor))}>
        {children}
      </DrawnForProvider>
      <SignedInDocument />
      <SignOutWhenIdle actor={actor} />
    </>
  );
}

/**
 * Whom the frame is drawn for: nobody for a session still at its code step. Its only page is the code
 * step's own, which gives its form's key itself; the page under this layout redirects there, and the
 * answer carried Sign out, a key and the idle timer for the account all the same (review r51c F1).
 */
async function framedActor() {
  const actor = await getActor().catch(() => null);
  return actor?.secondFactorPending ? null : actor;
}
