import { AddPasskeyForm } from '@/components/mfa/add-passkey-form';
import { CodeForm } from '@/components/mfa/code-form';
import { RECOVERY_CODE_ONLY_LABEL, RECOVERY_CODE_TO_ADD_PASSKEY_LABEL } from '@/components/mfa/fresh-code-label';
import type { PasskeyOptionsAction } from '@/components/mfa/passkey-button';
import { DoneNotice } from '@/components/ui/done-notice';
import type { ActionState } from '@/lib/auth/guards';
import type { Actor } from '@/lib/auth/session';
import { newFormKey } from '@/lib/http/form-key';
import { formOwnerOf } from '@/lib/mfa/account';
import { listOwnFactors } from '@/lib/mfa/list-factors';
import { appCodesRefused } from '@/lib/mfa/passkey-policy';
import { holdsFactorFromBefore } from '@/lib/mfa/may-add-factor';
import { REMOVAL_DONE } from '@/lib/mfa/remove-factor';
import { PASSWORD_CHANGED_DONE } from '@/lib/auth/change-own-password';

type Action = (previous: ActionState, formData: FormData) => Promise<ActionState>;

export type SecurityActions = {
  startTotp: Action;
  confirmTotp: Action;
  removeFactor: Action;
  regenerateCodes: Action;
  addPasskey: Action;
  passkeyRegistrationOptions: PasskeyOptionsAction;
  passkeyConfirmationOptions: PasskeyOptionsAction;
};

const KIND_LABEL = { TOTP: 'Authenticator app', PASSKEY: 'Passkey' } as const;

function when(date: Date | null): string {
  return date ? date.toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : 'Never';
}

/** The body of /account/security and /vendor/security: the account's factors and the forms that change them; `done`: the page's `?done=`. */
export async function SecurityPanel({ actor, actions, done }: { actor: Actor; actions: SecurityActions; done?: string }) {
  const { factors, enrolment, unusedRecoveryCodes } = await listOwnFactors(actor);
  const codesRefused = await appCodesRefused(actor);
  const freshCode = { name: 'code', label: codesRefused ? RECOVERY_CODE_ONLY_LABEL : 'Code from your app, or a recovery code', inputMode: 'text' as const, autoComplete: 'one-time-code' };
  // Adding a factor asks for one the account held before this sign-in, or else for the password (lib/mfa/may-add-factor.ts).
  const addingAsksForFactor = await holdsFactorFromBefore(actor);
  const freshCodeToAdd = { ...freshCode, hint: 'You already have a sign-in method: confirm it is you with it.' };
  const passwordToAdd = {
    name: 'currentPassword',
    label: 'Your password',
    hint: 'Adding a way to sign in asks for your password again.',
    type: 'password' as const,
    autoComplete: 'current-password',
  };
  const proofToAdd = addingAsksForFactor ? freshCodeToAdd : passwordToAdd;
  // A suspended passkey confirms nothing: the passkey button is for one that works.
  const hasPasskey = factors.some((factor) => factor.kind === 'PASSKEY' && !factor.suspendedAt);
  const suspended = factors.filter((factor) => factor.suspendedAt);
  const freshPasskey = hasPasskey ? actions.passkeyConfirmationOptions : undefined;
  const home = actor.kind === 'agency' ? '/account/security' : '/vendor/security';
  return (
    <>
      <DoneNotice messages={{ ...REMOVAL_DONE, ...PASSWORD_CHANGED_DONE }} done={done} pathname={home} viewer={actor} />
      <h1>Sign-in security</h1>
      {actor.mustEnrolSecondFactor && (
        <p className="notice warning" role="status">
          Your account must have a second factor. Add a passkey or an authenticator app before you continue.
        </p>
      )}
      {actor.kind === 'agency' && actor.mustEnrolPasskey && !actor.mustEnrolSecondFactor && (
        <p className="notice warning" role="status">
          Your agency requires administrators to have a passkey. Add a passkey before you continue.
        </p>
      )}
      <h2>Your second factors</h2>
      {suspended.map((factor) => (
        <p key={factor.id} className="notice warning" role="status">
          Your passkey “{factor.name}” is suspended: on {when(factor.suspendedAt)} it was used with a count lower than before, so a copy of it may
          exist. It cannot sign in or confirm anything. Add a new passkey below, then remove this one.
        </p>
      ))}
      {factors.length === 0 ? (
        <p>None yet.</p>
      ) : (
        <table>
          <caption className="visually-hidden">Your second factors</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Added</th>
              <th scope="col">Last used</th>
            </tr>
          </thead>
          <tbody>
            {factors.map((factor) => (
              <tr key={factor.id}>
                <td>{factor.name}</td>
                <td>{factor.suspendedAt ? `${KIND_LABEL[factor.kind]} (suspended)` : KIND_LABEL[factor.kind]}</td>
                <td>{when(factor.createdAt)}</td>
                <td>{when(factor.lastUsedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {factors.length > 0 && <p>Unused recovery codes: {unusedRecoveryCodes} of 10.</p>}

      <h2>Add a passkey</h2>
      <p>
        A passkey lives on this device (or your phone or security key) and is unlocked with your fingerprint, face or device PIN.
        With it you can sign in without a password, and it cannot be phished.
      </p>
      <AddPasskeyForm
        action={actions.addPasskey}
        optionsAction={actions.passkeyRegistrationOptions}
        doneHref={home}
        passkeyRequired={actor.kind === 'agency' && actor.mustEnrolPasskey === true}
        proof={addingAsksForFactor && codesRefused ? { ...freshCodeToAdd, label: RECOVERY_CODE_TO_ADD_PASSKEY_LABEL } : proofToAdd}
        formKey={newFormKey(formOwnerOf(actor))}
      />

      <h2>Add an authenticator app</h2>
      {enrolment && (
        <section aria-labelledby="enrol-title">
          <h3 id="enrol-title">Set up “{enrolment.name}”</h3>
          <p>Scan this code with your authenticator app, or type the key below into it.</p>
          {/* Drawn on the server from our own data: the secret never goes to a third party. */}
          <img
            src={`data:image/svg+xml;base64,${Buffer.from(enrolment.qrSvg).toString('base64')}`}
            width={200}
            height={200}
            alt="QR code for your authenticator app; the same key is written below"
          />
          <p>
            Key: <code data-testid="totp-secret">{enrolment.secretText}</code>
          </p>
        </section>
      )}
      {/* Always in this place, even once the enrolment is done: without JavaScript the page is rendered
          again after "Confirm", and only a form in the same place receives its answer (the recovery
          codes, shown this once). */}
      <CodeForm
        action={actions.confirmTotp}
        doneHref={home}
        submitLabel="Confirm"
        field={{ name: 'code', label: 'The 6-digit code your app shows', inputMode: 'numeric', autoComplete: 'one-time-code' }}
        hidden={{ formKey: newFormKey(formOwnerOf(actor)) }}
        answerOnly={!enrolment}
      />
      {!enrolment && (
        <CodeForm
          action={actions.startTotp}
          submitLabel="Add an authenticator app"
          field={{ name: 'name', label: 'Name for this app', hint: 'For example "Work phone"', autoComplete: 'off', refill: true }}
          freshField={proofToAdd}
          passkeyOptions={addingAsksForFactor ? freshPasskey : undefined}
          hidden={{ formKey: newFormKey(formOwnerOf(actor)) }}
        />
      )}

      {factors.length > 0 && (
        <>
          <h2>Remove a factor</h2>
          {factors.map((factor) => (
            <section key={factor.id} aria-label={`Remove ${factor.name}`}>
              <h3>{factor.name}</h3>
              <CodeForm
                action={actions.removeFactor}
                submitLabel={`Remove ${factor.name}`}
                field={freshCode}
                hidden={{ factorId: factor.id, formKey: newFormKey(formOwnerOf(actor)) }}
                passkeyOptions={freshPasskey}
              />
            </section>
          ))}
          <h2>New recovery codes</h2>
          <p>Makes ten new codes; the old ones stop working.</p>
          {/* Keyed per rendering: a reload of the answer that showed the codes sends its used code again. */}
          <CodeForm
            action={actions.regenerateCodes}
            submitLabel="Make new recovery codes"
            field={freshCode}
            hidden={{ formKey: newFormKey(formOwnerOf(actor)) }}
            passkeyOptions={freshPasskey}
          />
        </>
      )}
    </>
  );
}
