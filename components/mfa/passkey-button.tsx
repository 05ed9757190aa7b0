'use client';

import {
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
  WebAuthnError,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import { useState, useSyncExternalStore, type MouseEvent } from 'react';
import { formDataDrawnFor } from '@/components/auth/drawn-for';
import type { ActionState } from '@/lib/auth/guards';

export type PasskeyOptionsState = ActionState & { options?: PublicKeyCredentialCreationOptionsJSON | PublicKeyCredentialRequestOptionsJSON };
export type PasskeyOptionsAction = (previous: PasskeyOptionsState, formData: FormData) => Promise<PasskeyOptionsState>;

const noSubscription = () => () => {};

/** False in the server's HTML and during hydration: a passkey needs JavaScript and WebAuthn. */
export function useWebAuthnAvailable(): boolean {
  return useSyncExternalStore(noSubscription, () => browserSupportsWebAuthn(), () => false);
}

/** What a refused or cancelled ceremony tells the person (never the browser's own text). */
export function passkeyErrorMessage(error: unknown, mode: 'register' | 'authenticate'): string {
  const name = error instanceof WebAuthnError ? error.code : error instanceof Error ? error.name : '';
  if (name === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED' || name === 'InvalidStateError') return 'This passkey is already on your account.';
  return mode === 'register'
    ? 'No passkey was made. Try again, and confirm with your fingerprint, face or PIN when asked.'
    : 'The passkey was not used. Try again, and confirm with your fingerprint, face or PIN when asked.';
}

/**
 * Fills the form's hidden `passkey` field with the browser's answer and sends the form as a normal submit: as a
 * press of its button marked `data-passkey-submits` when it has one (a "yes" whose name and value the form must send).
 */
export function submitWithPasskey(form: HTMLFormElement, answer: unknown): void {
  const field = form.elements.namedItem('passkey');
  if (field instanceof HTMLInputElement) field.value = JSON.stringify(answer);
  form.requestSubmit(form.querySelector<HTMLButtonElement>('button[data-passkey-submits]') ?? undefined);
}

type Props = {
  mode: 'register' | 'authenticate';
  optionsAction: PasskeyOptionsAction;
  label: string;
  /** Checked before asking the browser (a passkey's name must be filled in first). */
  ready?: (form: HTMLFormElement) => string | null;
  onError: (message: string | null) => void;
  primary?: boolean;
};

/**
 * Runs one WebAuthn ceremony for the form it sits in: asks the server for options (a fresh
 * challenge), lets the browser create or use a passkey, then submits the form with the answer
 * in its hidden `passkey` field, so the server action verifies it like any other form.
 */
export function PasskeyButton({ mode, optionsAction, label, ready, onError, primary = false }: Props) {
  const available = useWebAuthnAvailable();
  const [busy, setBusy] = useState(false);
  if (!available) return null;

  async function run(event: MouseEvent<HTMLButtonElement>) {
    const form = event.currentTarget.form;
    if (!form) return;
    const notReady = ready?.(form) ?? null;
    onError(notReady);
    if (notReady) return;
    setBusy(true);
    try {
      const result = await optionsAction({ ok: false }, formDataDrawnFor(form));
      if (!result.ok || !result.options) {
        onError(result.message ?? 'Passkeys cannot be used just now. Try again in a few minutes.');
        return;
      }
      const answer =
        mode === 'register'
          ? await startRegistration({ optionsJSON: result.options as PublicKeyCredentialCreationOptionsJSON })
          : await startAuthentication({ optionsJSON: result.options as PublicKeyCredentialRequestOptionsJSON });
      submitWithPasskey(form, answer);
    } catch (error) {
      onError(passkeyErrorMessage(error, mode));
    } finally {
      setBusy(false);
    }
  }

  return (
    <button className={primary ? 'button' : 'button secondary'} type="button" onClick={run} disabled={busy}>
      {label}
    </button>
  );
}
