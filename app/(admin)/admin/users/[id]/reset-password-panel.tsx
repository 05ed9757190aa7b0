'use client';

import { useActionState, useEffect, useRef, useState } from 'react';
import { resetPasswordAction, type ResetState } from './actions';

/**
 * Reset to a temporary password: a confirm step, then the password shown once in a large
 * box with a copy button. It lives only in this component's state: reloading the page loses it.
 */
export function ResetPasswordPanel({ userId, expectedVersion, personName }: { userId: string; expectedVersion: number; personName: string }) {
  const [state, formAction, pending] = useActionState<ResetState, FormData>(resetPasswordAction, { ok: false });
  const [confirming, setConfirming] = useState(false);
  const [copied, setCopied] = useState(false);
  const result = useRef<HTMLDivElement>(null);
  // Focus moves to what the reset answered: the password box, or why it was refused.
  useEffect(() => {
    if (state.ok || state.message) result.current?.focus();
  }, [state]);

  if (state.ok && state.temporaryPassword) {
    return (
      <div className="notice success" role="status" aria-live="polite" tabIndex={-1} ref={result} data-testid="reset-result">
        <h3>Temporary password for {personName}</h3>
        <p>Give it to {personName} by phone or in person. It is shown only now, and works once, until {state.expiresAt}.</p>
        <p className="secret-box" data-testid="temporary-password">
          {state.temporaryPassword}
        </p>
        <div className="actions-row">
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              void navigator.clipboard?.writeText(state.temporaryPassword!).then(() => setCopied(true));
            }}
          >
            {copied ? 'Copied' : 'Copy'}
          </button>
        </div>
        <p>Do not write it down or e-mail it. {personName} must choose a new password when signing in with it.</p>
      </div>
    );
  }

  return (
    <div>
      {state.message && !state.ok && (
        <div className="notice warning" role="alert" tabIndex={-1} ref={result}>
          {state.message}
        </div>
      )}
      {!confirming && !state.confirming ? (
        // Without JavaScript this posts without a "yes", and the action answers with the question.
        <form action={formAction}>
          <TargetFields userId={userId} expectedVersion={expectedVersion} />
          <button
            type="submit"
            className="button"
            onClick={(event) => {
              event.preventDefault();
              setConfirming(true);
            }}
          >
            Reset password
          </button>
        </form>
      ) : (
        <form action={formAction}>
          <TargetFields userId={userId} expectedVersion={expectedVersion} />
          <input type="hidden" name="confirm" value="yes" />
          <p>
            <strong>Reset {personName}’s password?</strong> Their current password stops working, they are signed out
            everywhere, and the account is unlocked. You will see a temporary password once. Their passkeys and
            authenticator apps stay: if the account may be in someone else’s hands, also clear its second factors below.
          </p>
          <div className="actions-row">
            <button className="button" type="submit" disabled={pending}>
              {pending ? 'Resetting…' : 'Yes, reset the password'}
            </button>
            {/* Without JavaScript, opening the page again is the way back. */}
            <a
              className="button secondary"
              href={`/admin/users/${encodeURIComponent(userId)}`}
              onClick={(event) => {
                // Asked by the server (a click before the page's script ran): only opening the page again goes back.
                if (state.confirming) return;
                event.preventDefault();
                setConfirming(false);
              }}
              aria-disabled={pending}
            >
              Cancel
            </a>
          </div>
        </form>
      )}
    </div>
  );
}

/** Which account, as the page showed it: the action refuses a reset of an account changed since. */
function TargetFields({ userId, expectedVersion }: { userId: string; expectedVersion: number }) {
  return (
    <>
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="expectedVersion" value={expectedVersion} />
    </>
  );
}
