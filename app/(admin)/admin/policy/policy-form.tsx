'use client';

import { useActionState, useEffect, useRef } from 'react';
import { DrawnFor } from '@/components/auth/drawn-for';
import { CheckboxField } from '@/components/ui/checkbox-field';
import { ErrorSummary } from '@/components/ui/error-summary';
import { Field, SelectField } from '@/components/ui/field';
import type { ActionState } from '@/lib/auth/guards';
import { timeZoneLabel } from '@/lib/format/date';
import type { AgencyPolicy } from '@/lib/policy/agency-policy';
import { updatePolicyAction } from './actions';

const SWITCHES = [
  { name: 'onlySuperAdminsResetAdmins', label: 'Only super administrators may reset an administrator’s password' },
  { name: 'requireSecondFactorForAllStaff', label: 'Every staff member must set up a second factor (administrators always must)' },
  { name: 'requirePasskeyForAdmins', label: 'Administrators must sign in with a passkey (an authenticator-app code alone is no longer enough)' },
] as const;
type Switch = (typeof SWITCHES)[number]['name'];

type NumberSetting = { name: Exclude<keyof AgencyPolicy, Switch | 'timeZone'>; label: string; hint: string };

export function PolicyForm({ policy, version, settings, timeZones }: { policy: AgencyPolicy; version: string; settings: NumberSetting[]; timeZones: string[] }) {
  const [state, formAction, pending] = useActionState<ActionState, FormData>(updatePolicyAction, { ok: false });
  const errors = state.fieldErrors ?? {};
  // After saving: the saved values; after a refusal: what was typed; before either: the page's.
  const values = state.values;
  const number = (name: NumberSetting['name']) => values?.[name] ?? String(policy[name]);
  const checked = (name: Switch) => (values ? values[name] !== undefined : policy[name]);
  return (
    // `key` re-mounts the fields with those values (React resets a form after its action).
    <form action={formAction} noValidate key={JSON.stringify(values ?? {})}>
      <DrawnFor />
      <input type="hidden" name="seen" value={values?.seen ?? version} />
      <ErrorSummary state={state} order={settings.map((setting) => setting.name)} />
      {state.ok && <SavedNotice message={state.message} />}
      {settings.map((setting) => (
        <Field key={setting.name} name={setting.name} label={setting.label} hint={setting.hint} type="number" inputMode="numeric" required defaultValue={number(setting.name)} errors={errors[setting.name]} style={{ maxWidth: '8rem' }} />
      ))}
      {SWITCHES.map(({ name, label }) => (
        <CheckboxField key={name} name={name} value="on" label={label} defaultChecked={checked(name)} errors={errors[name]} />
      ))}
      <SelectField
        name="timeZone"
        label="Time zone"
        hint="Times in mails to your agency and in this console are shown in this zone."
        defaultValue={values?.timeZone ?? policy.timeZone}
        errors={errors.timeZone}
        options={timeZones.map((zone) => ({ value: zone, label: timeZoneLabel(zone) }))}
      />
      <button className="button" type="submit" disabled={pending}>
        Save policy
      </button>
    </form>
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
