'use client';

import { useActionState } from 'react';
import { ErrorSummary } from '@/components/ui/error-summary';
import { Field, SelectField } from '@/components/ui/field';
import type { ActionState } from '@/lib/auth/guards';
import type { AgencyPolicy } from '@/lib/policy/agency-policy';
import { updatePolicyAction } from './actions';

type NumberSetting = { name: Exclude<keyof AgencyPolicy, 'onlySuperAdminsResetAdmins' | 'requireSecondFactorForAllStaff' | 'timeZone'>; label: string; hint: string };

export function PolicyForm({ policy, settings, timeZones }: { policy: AgencyPolicy; settings: NumberSetting[]; timeZones: string[] }) {
  const [state, formAction, pending] = useActionState<ActionState, FormData>(updatePolicyAction, { ok: false });
  const errors = state.fieldErrors ?? {};
  return (
    <form action={formAction} noValidate>
      <ErrorSummary errors={Object.entries(errors).flatMap(([field, messages]) => (messages ?? []).map((message) => ({ field, message })))} />
      {state.ok && (
        <p className="notice success" role="status">
          {state.message}
        </p>
      )}
      {settings.map((setting) => (
        <Field key={setting.name} name={setting.name} label={setting.label} hint={setting.hint} type="number" inputMode="numeric" defaultValue={policy[setting.name]} errors={errors[setting.name]} style={{ maxWidth: '8rem' }} />
      ))}
      <div className="field">
        <label>
          <input type="checkbox" name="onlySuperAdminsResetAdmins" defaultChecked={policy.onlySuperAdminsResetAdmins} style={{ width: 'auto', minHeight: 0, marginRight: '0.5rem' }} />
          Only super administrators may reset an administrator’s password
        </label>
      </div>
      <div className="field">
        <label>
          <input type="checkbox" name="requireSecondFactorForAllStaff" defaultChecked={policy.requireSecondFactorForAllStaff} style={{ width: 'auto', minHeight: 0, marginRight: '0.5rem' }} />
          Every staff member must set up a second factor (administrators always must)
        </label>
      </div>
      <SelectField
        name="timeZone"
        label="Time zone"
        hint="Times in mails to your agency and in this console are shown in this zone."
        defaultValue={policy.timeZone}
        errors={errors.timeZone}
        options={timeZones.map((zone) => [zone, zone.replaceAll('_', ' ')])}
      />
      <button className="button" type="submit" disabled={pending}>
        Save policy
      </button>
    </form>
  );
}
