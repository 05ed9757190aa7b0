'use client';

import { useActionState, useState } from 'react';
import { DrawnFor } from '@/components/auth/drawn-for';
import { useHydrated } from '@/components/help/use-hydrated';
import { FactorAdded, TypedField, type FieldSpec } from '@/components/mfa/code-form';
import { PasskeyButton, useWebAuthnAvailable, type PasskeyOptionsAction } from '@/components/mfa/passkey-button';
import { ErrorSummary } from '@/components/ui/error-summary';
import { Field } from '@/components/ui/field';
import type { ActionState } from '@/lib/auth/guards';

type State = ActionState & { recoveryCodes?: string[] };

const NAME_MISSING = 'Name the passkey, for example "Work laptop"';
// Asked before the browser makes a passkey that could not be kept.
const PASSWORD_MISSING = 'Type your password';

/** "Add a passkey": a name, then the browser creates the passkey; the form is sent with its answer. */
export function AddPasskeyForm({
  action,
  optionsAction,
  doneHref,
  passkeyRequired = false,
  proof,
  formKey,
}: {
  action: (previous: State, formData: FormData) => Promise<State>;
  optionsAction: PasskeyOptionsAction;
  doneHref: string;
  /** The agency requires a passkey of this admin: an authenticator app is no way on, so it is not offered as one. */
  passkeyRequired?: boolean;
  /** The proof adding asks for: a code from the app (or a recovery code) when the account already has a factor, else the password. */
  proof: FieldSpec;
  /** This rendering's key (lib/http/sent-once.ts): a copy of the form sent again waits for the first, and is told the passkey was added. */
  formKey: string;
}) {
  const [state, formAction] = useActionState<State, FormData>(action, { ok: false });
  const [clientError, setClientError] = useState<string | null>(null);
  const available = useWebAuthnAvailable();
  const hydrated = useHydrated();
  if (state.ok) {
    return <FactorAdded message={state.message} recoveryCodes={state.recoveryCodes} doneHref={doneHref} />;
  }
  const nameErrors = clientError === NAME_MISSING ? [NAME_MISSING] : state.fieldErrors?.name;
  const proofErrors = clientError === PASSWORD_MISSING ? [PASSWORD_MISSING] : clientError ? undefined : state.fieldErrors?.[proof.name];
  const proofId = proof.type === 'password' ? 'passkey-current-password' : 'passkey-fresh-code';
  const message = clientError ?? (!state.ok ? state.message : undefined);
  const wrongField = proofErrors?.length ? proofId : nameErrors?.length ? 'passkey-name' : undefined;
  return (
    <form action={formAction} noValidate>
      <DrawnFor />
      {message && <ErrorSummary errors={[{ field: wrongField, message }]} />}
      {hydrated && !available && (
        <p>
          This browser cannot make passkeys here. Use a browser with passkeys on this device
          {passkeyRequired ? ' (your agency requires a passkey: an authenticator app is not enough).' : ', or add an authenticator app.'}
        </p>
      )}
      <noscript>
        <p>
          Making a passkey needs JavaScript, which is off in this browser.{' '}
          {passkeyRequired ? 'Turn it on to add one: your agency requires a passkey, and an authenticator app is not enough.' : 'Turn it on to add one, or add an authenticator app below.'}
        </p>
      </noscript>
      <TypedField spec={proof} id={proofId} errors={proofErrors} />
      <Field id="passkey-name" name="name" label="Name for this passkey" hint='For example "Work laptop" or "My phone"' errors={nameErrors} autoComplete="off" defaultValue={state.values?.name} />
      <input type="hidden" name="passkey" />
      <input type="hidden" name="formKey" value={formKey} />
      <PasskeyButton
        mode="register"
        optionsAction={optionsAction}
        label="Add a passkey"
        primary
        ready={(form) => {
          const typed = new FormData(form);
          if (proof.type === 'password' && !String(typed.get(proof.name) ?? '')) return PASSWORD_MISSING;
          return String(typed.get('name') ?? '').trim() ? null : NAME_MISSING;
        }}
        onError={setClientError}
      />
    </form>
  );
}
