'use client';

import { useActionState, useEffect, useRef } from 'react';
import { ErrorSummary } from '@/components/ui/error-summary';
import { Field } from '@/components/ui/field';
import { askAdminAction, type AskAdminState } from './actions';
import { AskAdminReceived } from './received';

const MESSAGE_MAX_LENGTH = 500;

/** `formKey` is made by the page for this rendering: the form sent twice asks once (lib/http/sent-once.ts). */
export function AskAdminForm({ formKey }: { formKey: string }) {
  const [state, formAction, pending] = useActionState<AskAdminState, FormData>(askAdminAction, { ok: true });
  const confirmation = useRef<HTMLHeadingElement>(null);

  // After the answer, focus moves to the confirmation (the error summary moves it there on a refusal).
  useEffect(() => {
    if (state.sent) confirmation.current?.focus();
  }, [state]);

  if (state.sent) {
    return (
      <div className="notice success" data-testid="ask-admin-sent">
        <h2 tabIndex={-1} ref={confirmation}>
          Request received
        </h2>
        <AskAdminReceived />
      </div>
    );
  }

  const fieldErrors = state.fieldErrors ?? {};
  const values = state.values;

  return (
    <form action={formAction} noValidate>
      <input type="hidden" name="formKey" value={formKey} />
      <ErrorSummary state={state} order={['providerCode', 'loginName', 'message']} />
      <Field
        name="providerCode"
        label="Provider code or agency name"
        hint="Your agency’s code, for example ACME-NY. If you do not know it, type your agency’s full name."
        autoComplete="organization"
        autoCapitalize="none"
        spellCheck={false}
        defaultValue={values?.providerCode}
        errors={fieldErrors.providerCode}
      />
      <Field
        name="loginName"
        label="Login name"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        defaultValue={values?.loginName}
        errors={fieldErrors.loginName}
      />
      <div className={fieldErrors.message ? 'field has-error' : 'field'}>
        <label htmlFor="message">Message (optional)</label>
        <span className="hint" id="message-hint">
          For example, when and how to reach you. Up to {MESSAGE_MAX_LENGTH} characters. Never write your password.
        </span>
        {fieldErrors.message?.map((message) => (
          <span className="field-error" id="message-error" key={message}>
            <span className="visually-hidden">Error: </span>
            {message}
          </span>
        ))}
        <textarea
          id="message"
          name="message"
          rows={4}
          maxLength={MESSAGE_MAX_LENGTH}
          // Kept by no browser for the next person at a shared computer, as every free text (TextAreaField).
          autoComplete="off"
          defaultValue={values?.message}
          aria-describedby={fieldErrors.message ? 'message-hint message-error' : 'message-hint'}
          aria-invalid={fieldErrors.message ? true : undefined}
        />
      </div>
      <button className="button" type="submit" disabled={pending}>
        {pending ? 'Sending…' : 'Send request'}
      </button>
    </form>
  );
}
