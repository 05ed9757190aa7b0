'use client';

import { useActionState } from 'react';
import { CheckboxField } from '@/components/ui/checkbox-field';
import { ErrorSummary } from '@/components/ui/error-summary';
import { Field, TextAreaField } from '@/components/ui/field';
import { submitRequestAction, type RequestFormState } from './actions';

const ORDER = ['providerCode', 'loginName', 'fullName', 'jobTitle', 'workEmail', 'workPhone', 'reason', 'attestation'];

/** `idempotencyKey` is made by the page for this rendering: a resend of the same form files once. */
export function RequestForm({ idempotencyKey }: { idempotencyKey: string }) {
  const [state, formAction, pending] = useActionState<RequestFormState, FormData>(submitRequestAction, { ok: false });
  const errors = state.fieldErrors ?? {};
  const value = (name: string) => state.values?.[name] ?? '';
  return (
    // `key` re-mounts the fields with what was typed after a refused submit (React resets the form).
    <form action={formAction} noValidate key={JSON.stringify(state.values ?? {})}>
      <ErrorSummary state={state} order={ORDER} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <h2>Your account</h2>
      <Field name="providerCode" label="Provider code" hint="Your agency’s code, for example ACME-NY" autoComplete="organization" autoCapitalize="none" spellCheck={false} defaultValue={value('providerCode')} errors={errors.providerCode} />
      <Field name="loginName" label="Login name" hint="The name you sign in to CareNotes with" autoComplete="username" autoCapitalize="none" spellCheck={false} defaultValue={value('loginName')} errors={errors.loginName} />
      <h2>About you</h2>
      <Field name="fullName" label="Full name" autoComplete="name" defaultValue={value('fullName')} errors={errors.fullName} />
      <Field name="jobTitle" label="Job title" hint="For example Director of Nursing" autoComplete="organization-title" defaultValue={value('jobTitle')} errors={errors.jobTitle} />
      <Field
        name="workEmail"
        label="Work e-mail address"
        hint="So we know who asked. The reset link is only ever sent to the address on record for your account."
        type="email"
        autoComplete="email"
        spellCheck={false}
        defaultValue={value('workEmail')}
        errors={errors.workEmail}
      />
      <Field
        name="workPhone"
        label="Work phone number"
        hint="For example +1 512 555 0100. We call back your agency’s number on record, not this one."
        type="tel"
        autoComplete="tel"
        defaultValue={value('workPhone')}
        errors={errors.workPhone}
      />
      <TextAreaField
        name="reason"
        label="Why can no other administrator reset your password?"
        hint="For example: I am the only administrator, or the others have left or are away."
        defaultValue={value('reason')}
        errors={errors.reason}
        maxLength={2000}
      />
      <CheckboxField
        name="attestation"
        label="I am the administrator named above, and no other administrator of my agency can reset my password."
        hint="Filing a request for someone else’s account is not allowed and is logged."
        defaultChecked={value('attestation') === 'yes'}
        errors={errors.attestation}
      />
      <button className="button" type="submit" disabled={pending}>
        {pending ? 'Sending…' : 'Send request'}
      </button>
    </form>
  );
}
