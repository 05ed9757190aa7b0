// Shared with `vendor:reset-mfa`, which runs outside Next.js's server bundle: no `server-only` here.
import { randomInt } from 'node:crypto';

// No 0/O or 1/I/L: the password is read aloud over the phone or copied from a screen by hand.
export const TEMPORARY_PASSWORD_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const TEMPORARY_PASSWORD_LENGTH = 16; // 16 × log2(31) ≈ 79 bits

export function generateTemporaryPassword(): string {
  let password = '';
  for (let i = 0; i < TEMPORARY_PASSWORD_LENGTH; i++) {
    password += TEMPORARY_PASSWORD_ALPHABET[randomInt(TEMPORARY_PASSWORD_ALPHABET.length)];
  }
  return password;
}

/** "ABCD EFGH JKMN PQRS", for display only: the password itself has no spaces. */
export function formatForReading(tmp: string): string {
  return tmp.match(/.{1,4}/gu)?.join(' ') ?? '';
}
