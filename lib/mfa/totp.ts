import { generate, generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

// RFC 6238 as authenticator apps expect it: SHA-1, 6 digits, 30 s steps.
export const TOTP_PERIOD_S = 30;
// One step of clock drift either way (otplib takes the tolerance in seconds).
const DRIFT_S = TOTP_PERIOD_S;

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_S);
}

/**
 * A code as typed, as the characters it stands for: without spaces, dashes ("307-600") or invisible
 * characters a copy and paste brings along, and with digits of any script as ASCII digits (a phone's
 * keyboard may type "３０７６００" or "٣٠٧٦٠٠"; each Unicode block of digits runs from 0 to 9).
 * Otherwise the right code would be refused and counted as a wrong guess.
 */
export function typedCode(typed: string): string {
  return typed
    .normalize('NFKC')
    .replace(/[\s\p{Pd}\p{Cf}]/gu, '')
    .replace(/\p{Nd}/gu, (digit) => {
      const point = digit.codePointAt(0)!;
      let zero = point;
      while (/\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero--;
      return String((point - zero) % 10);
    });
}

/** The code for a time step: tests and `npm run demo:codes` compute what an app would show. */
export async function totpCodeFor(secret: string, step: number): Promise<string> {
  return generate({ secret, epoch: step * TOTP_PERIOD_S });
}

/**
 * The time step the code belongs to, or null. Steps at or before `afterStep` are refused here;
 * the caller still records the step with a conditional write, so two parallel submissions of
 * one code cannot both pass.
 */
export async function matchTotpCode(secret: string, code: string, afterStep: number | null, now: Date): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const epoch = Math.floor(now.getTime() / 1000);
  // otplib refuses an afterTimeStep beyond the window; such a step means every code in reach was used.
  if (afterStep !== null && afterStep >= totpStep(now) + 1) return null;
  const result = await verify({
    secret,
    token: code,
    epoch,
    epochTolerance: DRIFT_S,
    ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
  });
  // A TOTP match says how many steps from now the code was.
  return result.valid ? totpStep(now) + result.delta : null;
}

export function totpUri(secret: string, accountLabel: string): string {
  return generateURI({ issuer: 'CareNotes', label: accountLabel, secret });
}

/** The QR code as SVG markup drawn on the server: the secret never leaves for a third party. */
export async function totpQrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** The secret as people type it: groups of four. */
export function formatSecretForTyping(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}
