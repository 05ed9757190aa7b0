'use client';

import { useActionState, useEffect, useRef, useState } from 'react';
import { DrawnFor } from '@/components/auth/drawn-for';
import { OwnFactorField } from '@/components/mfa/own-factor-field';
import { PasskeyButton, type PasskeyOptionsAction } from '@/components/mfa/passkey-button';
import { CheckboxField } from '@/components/ui/checkbox-field';
import { ErrorSummary } from '@/components/ui/error-summary';
import { Field, SelectField } from '@/components/ui/field';
import { timeZoneLabel } from '@/lib/format/date';
import type { AgencyPolicy, PolicyChange } from '@/lib/policy/agency-policy';
import { updatePolicyAction, type PolicyState } from './actions';

type Switch = 'onlySuperAdminsResetAdmins' | 'requireSecondFactorForAllStaff' | 'requirePasskeyForAdmins';

type NumberSetting = { name: Exclude<keyof AgencyPolicy, Switch | 'timeZone'>; label: string; hint: string };

type Props = {
  policy: AgencyPolicy;
  version: string;
  settings: NumberSetting[];
  switches: { name: Switch; label: string }[];
  timeZoneLabel: string;
  timeZones: string[];
  /** The page's key: copies of one save (a double press) take turns, and a code sent with it is used once. */
  formKey: string;
  /** The super admin's passkey, offered beside the code a less strict save asks for (when they have one). */
  freshPasskey?: PasskeyOptionsAction;
  /** The super admin is held to passkeys: their app codes are refused, a recovery code is not. */
  appCodesRefused?: boolean;
};

export function PolicyForm({ policy, version, settings, switches, timeZoneLabel: zoneLabel, timeZones, formKey, freshPasskey, appCodesRefused = false }: Props) {
  const [state, formAction, pending] = useActionState<PolicyState, FormData>(updatePolicyAction, { ok: false });
  const [passkeyError, setPasskeyError] = useState<string | null>(null);
  const errors = state.fieldErrors ?? {};
  // After saving: the saved values; after a refusal: what was typed; before either: the page's.
  const values = state.values;
  const number = (name: NumberSetting['name']) => values?.[name] ?? String(policy[name]);
  const checked = (name: Switch) => (values ? values[name] !== undefined : policy[name]);
  // A save that makes signing in less strict waits for the super admin's own factor: the question, before "yes".
  const loosens = state.loosens?.length ? state.loosens : null;
  return (
    // `key` re-mounts the fields with those values (React resets a form after its action).
    // A typed code sent after a passkey that was not used: the passkey's message gives way to the answer.
    <form action={formAction} noValidate key={JSON.stringify(values ?? {})} onSubmit={() => setPasskeyError(null)}>
      <DrawnFor />
      <input type="hidden" name="seen" value={values?.seen ?? version} />
      <input type="hidden" name="formKey" value={values?.formKey ?? formKey} />
      {passkeyError ? (
        <ErrorSummary errors={[{ message: passkeyError }]} focusKey={passkeyError} />
      ) : (
        // The question itself is no error: only what was wrong with its answer is.
        <ErrorSummary state={loosens && !state.askAgain ? undefined : state} order={[...settings.map((setting) => setting.name), 'code']} />
      )}
      {state.ok && <SavedNotice message={state.message} />}
      {settings.map((setting) => (
        <Field key={setting.name} name={setting.name} label={setting.label} hint={setting.hint} type="number" inputMode="numeric" required defaultValue={number(setting.name)} errors={errors[setting.name]} style={{ maxWidth: '8rem' }} />
      ))}
      {switches.map(({ name, label }) => (
        <CheckboxField key={name} name={name} value="on" label={label} defaultChecked={checked(name)} errors={errors[name]} />
      ))}
      <SelectField
        name="timeZone"
        label={zoneLabel}
        hint="Times in mails to your agency and in this console are shown in this zone."
        defaultValue={values?.timeZone ?? policy.timeZone}
        errors={errors.timeZone}
        options={timeZones.map((zone) => ({ value: zone, label: timeZoneLabel(zone) }))}
      />
      {loosens ? (
        <>
          <LooserQuestion loosens={loosens} focus={!state.askAgain} appCodesRefused={appCodesRefused} codeErrors={errors.code} />
          <div className="actions-row">
            <button className="button" type="submit" disabled={pending}>
              Yes, save the less strict policy
            </button>
            {freshPasskey && <PasskeyButton mode="authenticate" optionsAction={freshPasskey} label="Use your passkey instead" onError={setPasskeyError} />}
            {/* Opening the page again drops the changes: the policy stays as saved. */}
            <a className="button secondary" href="/admin/policy">
              Cancel
            </a>
          </div>
        </>
      ) : (
        <button className="button" type="submit" disabled={pending}>
          Save policy
        </button>
      )}
    </form>
  );
}

/** Which settings the save makes less strict, and the super admin's own code to confirm it (review r55g F1). */
function LooserQuestion({ loosens, focus, appCodesRefused, codeErrors }: { loosens: PolicyChange[]; focus: boolean; appCodesRefused: boolean; codeErrors?: string[] }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Asked: the question takes focus; asked again, the error summary does.
  useEffect(() => {
    if (focus) heading.current?.focus();
  }, [focus, loosens]);
  return (
    <section className="notice warning" aria-labelledby="policy-looser-title" data-testid="policy-looser">
      <h2 id="policy-looser-title" tabIndex={-1} ref={heading}>
        Confirm it is you to make signing in less strict
      </h2>
      <p>Not saved yet. These changes make signing in to your agency’s accounts less strict:</p>
      <ul>
        {loosens.map((change) => (
          <li key={change.setting}>
            {change.label}: was {change.from}, now {change.to}
          </li>
        ))}
      </ul>
      <input type="hidden" name="confirm" value="yes" />
      <OwnFactorField id="code" hint="Confirm it is you: these changes apply to everyone in your agency." appCodesRefused={appCodesRefused} errors={codeErrors} />
    </section>
  );
}

/** The confirmation takes focus, as the error summary does after a refusal. */
function SavedNotice({ message }: { message?: string }) {
  const notice = useRef<HTMLParagraphElement>(null);
  useEffect(() => notice.current?.focus(), []);
  return (
    <p className="notice success" role="status" tabIndex={-1} ref={notice} data-testid="policy-saved">
      {message}
    </p>
  );
}
