'use client';

import { useActionState, useEffect, useRef, useState } from 'react';
import { DrawnFor } from '@/components/auth/drawn-for';
import { OwnFactorField } from '@/components/mfa/own-factor-field';
import { PasskeyButton, type PasskeyOptionsAction } from '@/components/mfa/passkey-button';
import { clearSecondFactorsAction, resetPasswordAction, type ResetState } from './actions';

/** What the panel resets: the password alone, or the second factors with it (a lost phone). */
type ResetKind = 'password' | 'second-factors';

const WORDING: Record<ResetKind, { button: string; yes: string; pending: string }> = {
  password: { button: 'Reset password', yes: 'Yes, reset the password', pending: 'Resetting…' },
  'second-factors': { button: 'Clear second factors', yes: 'Yes, clear them and reset the password', pending: 'Clearing…' },
};

/**
 * Reset to a temporary password: a confirm step, then the password shown once in a large
 * box with a copy button. It lives only in this component's state: reloading the page loses it.
 * `available`: false shows the button disabled (nothing to clear). Clearing the factors hands over
 * the whole account, so its confirm step asks for the acting admin's own code, or their passkey
 * (`freshPasskey`, when they have one).
 */
export function ResetPasswordPanel({
  userId,
  expectedVersion,
  personName,
  kind = 'password',
  available = true,
  freshPasskey,
  appCodesRefused = false,
  formKey,
  caution = null,
}: {
  userId: string;
  expectedVersion: number;
  personName: string;
  kind?: ResetKind;
  available?: boolean;
  freshPasskey?: PasskeyOptionsAction;
  /** The acting admin is held to passkeys: their app codes are refused, a recovery code is not. */
  appCodesRefused?: boolean;
  /** The page's key for the clearing: copies of one confirmation (a double press) take turns and clear once. */
  formKey?: string;
  /** What the reset would end that someone is counting on: a temporary password given meanwhile (review r52d F4). */
  caution?: string | null;
}) {
  const [state, formAction, pending] = useActionState<ResetState, FormData>(kind === 'password' ? resetPasswordAction : clearSecondFactorsAction, { ok: false });
  const wording = WORDING[kind];
  const [confirming, setConfirming] = useState(false);
  const [copied, setCopied] = useState(false);
  const [passkeyError, setPasskeyError] = useState<string | null>(null);
  const result = useRef<HTMLDivElement>(null);
  // Focus moves to what the reset answered: the password box, or why it was refused.
  useEffect(() => {
    if (state.ok || state.message) result.current?.focus();
  }, [state]);

  if (state.ok && state.temporaryPassword) {
    return (
      <div className="notice success" role="status" aria-live="polite" tabIndex={-1} ref={result} data-testid="reset-result">
        <h3>Temporary password for {personName}</h3>
        <p>
          Give it to {personName} by phone or in person. It is shown only now, and works once, until {state.expiresAt}. It holds only capital
          letters and digits: they type it exactly as shown, with no spaces.
        </p>
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
        <p>
          Do not write it down or e-mail it. {personName} must choose a new password when signing in with it
          {kind === 'second-factors' ? ', and then set up a new second factor (administrators must).' : '.'}
        </p>
      </div>
    );
  }

  return (
    <div>
      {(passkeyError ?? (state.message && !state.ok)) && (
        <div className="notice warning" role="alert" tabIndex={-1} ref={result}>
          {passkeyError ?? state.message}
        </div>
      )}
      {!confirming && !state.confirming ? (
        // Without JavaScript this posts without a "yes", and the action answers with the question.
        <form action={formAction}>
          <DrawnFor />
          <TargetFields userId={userId} expectedVersion={expectedVersion} />
          <button
            type="submit"
            className={kind === 'password' ? 'button' : 'button secondary'}
            disabled={!available}
            onClick={(event) => {
              event.preventDefault();
              setConfirming(true);
            }}
          >
            {wording.button}
          </button>
        </form>
      ) : (
        // A typed code sent after a passkey that was not used: the passkey's message gives way to the answer.
        <form action={formAction} onSubmit={() => setPasskeyError(null)}>
          <DrawnFor />
          <TargetFields userId={userId} expectedVersion={expectedVersion} />
          <input type="hidden" name="confirm" value="yes" />
          {caution && (
            <p className="notice warning" data-testid="reset-caution">
              {caution}
            </p>
          )}
          {kind === 'password' ? (
            <p>
              <strong>Reset {personName}’s password?</strong> Their current password stops working, they are signed out
              everywhere, and the account is unlocked. You will see a temporary password once. Their passkeys and
              authenticator apps stay: if the account may be in someone else’s hands, clear its second factors below instead.
            </p>
          ) : (
            <p>
              <strong>Clear {personName}’s second factors?</strong> Their authenticator apps, passkeys and recovery codes
              are removed, and their password is reset with them, so that whoever knows it cannot set up a factor of
              their own: it stops working, they are signed out everywhere, and you will see a temporary password once.
            </p>
          )}
          {kind === 'second-factors' && (
            <>
              <OwnFactorField
                id={`fresh-code-${userId}`}
                hint={`Confirm it is you: clearing them lets whoever holds the temporary password into ${personName}’s account.`}
                appCodesRefused={appCodesRefused}
                errors={state.fieldErrors?.code}
              />
              {formKey && <input type="hidden" name="formKey" value={formKey} />}
            </>
          )}
          <div className="actions-row">
            <button className="button" type="submit" disabled={pending}>
              {pending ? wording.pending : wording.yes}
            </button>
            {kind === 'second-factors' && freshPasskey && (
              <PasskeyButton mode="authenticate" optionsAction={freshPasskey} label="Use your passkey instead" onError={setPasskeyError} />
            )}
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
