import { randomBytes } from 'node:crypto';
import type { AuthenticationResponseJSON, AuthenticatorTransportFuture, RegistrationResponseJSON, WebAuthnCredential } from '@simplewebauthn/server';
import { z } from 'zod';
import type { WebAuthnPurpose } from '@/lib/generated/sqlite/enums';
import { config } from '@/lib/config';
import { db } from '@/lib/db/client';

/**
 * The relying party, derived from APP_URL alone: the RP id is its host name and the only
 * origin accepted is its origin. Browsers refuse WebAuthn on an IP-address origin and on plain
 * http anywhere but localhost, so passkeys need `localhost` or https.
 */
export function relyingParty(): { id: string; name: string; origin: string } {
  const url = new URL(config().APP_URL);
  return { id: url.hostname, name: 'CareNotes', origin: url.origin };
}

// Long enough to find a phone or a security key; short enough that a copied challenge is soon worth nothing.
export const CHALLENGE_TTL_MS = 5 * 60_000;

/** What issueChallenge makes: 32 random bytes, base64url. */
const ISSUED_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Stores a fresh challenge for one ceremony and returns it (base64url, as the browser will echo it).
 * A session's new challenge replaces its earlier one of the same purpose: one ceremony at a time,
 * and a signed-in client asking again and again keeps one row, not one per ask.
 */
export async function issueChallenge(purpose: WebAuthnPurpose, sessionId: string | null, now = new Date()): Promise<string> {
  const challenge = randomBytes(32).toString('base64url');
  if (sessionId) await db().webAuthnChallenge.deleteMany({ where: { sessionId, purpose } });
  await db().webAuthnChallenge.create({ data: { challenge, purpose, sessionId, expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS) } });
  return challenge;
}

/** A challenge as the library takes it: bytes, which it encodes to the very base64url text we stored (a string would be encoded twice). */
export function challengeBytes(challenge: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(challenge, 'base64url'));
}

/** The challenge the browser signed, read from its clientDataJSON; null when that is not even JSON. */
export function challengeIn(response: { response: { clientDataJSON: string } }): string | null {
  try {
    const data: unknown = JSON.parse(Buffer.from(response.response.clientDataJSON, 'base64url').toString('utf8'));
    return typeof data === 'object' && data !== null && typeof (data as { challenge?: unknown }).challenge === 'string'
      ? (data as { challenge: string }).challenge
      : null;
  } catch {
    return null;
  }
}

/**
 * Uses up the challenge a response claims: one conditional DELETE of a row that is unexpired,
 * for this purpose and this session. Of two verifications of one challenge (a replay, or both at
 * once on two instances) exactly one deletes the row; the other finds nothing and is refused.
 * Consumed before the signature is checked, so a failed attempt burns it too.
 */
export async function consumeChallenge(challenge: string | null, purpose: WebAuthnPurpose, sessionId: string | null, now = new Date()): Promise<boolean> {
  // Only what issueChallenge makes is looked up: the browser's clientDataJSON may name any text, a NUL
  // too, which PostgreSQL refuses in a query (it answered "Something went wrong": review r40c F1).
  if (!challenge || !ISSUED_CHALLENGE.test(challenge)) return false;
  const deleted = await db().webAuthnChallenge.deleteMany({ where: { challenge, purpose, sessionId, expiresAt: { gt: now } } });
  return deleted.count === 1;
}

// What a browser posts back, checked for shape only (the library checks the rest); sizes well above real ones.
const b64url = z.string().max(8192).regex(/^[A-Za-z0-9_-]*$/);
const transport = z.enum(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);
const common = {
  id: b64url.min(1).max(1400),
  rawId: b64url.min(1).max(1400),
  type: z.literal('public-key'),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
};

const registrationResponse = z.object({
  ...common,
  response: z.object({
    clientDataJSON: b64url,
    attestationObject: b64url,
    transports: z.array(transport).max(10).optional(),
    authenticatorData: b64url.optional(),
    publicKey: b64url.optional(),
    publicKeyAlgorithm: z.number().int().optional(),
  }),
});

const authenticationResponse = z.object({
  ...common,
  response: z.object({
    clientDataJSON: b64url,
    authenticatorData: b64url,
    signature: b64url,
    userHandle: b64url.optional(),
  }),
});

function parseJson<T>(schema: z.ZodType<T>, text: string): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The form field a browser's answer travels in: JSON text, at most 16 KB. */
export const webAuthnResponseField = z.string().min(2, 'Use your passkey first').max(16_384);

export function parseRegistrationResponse(text: string): RegistrationResponseJSON | null {
  return parseJson(registrationResponse, text) as RegistrationResponseJSON | null;
}

export function parseAuthenticationResponse(text: string): AuthenticationResponseJSON | null {
  return parseJson(authenticationResponse, text) as AuthenticationResponseJSON | null;
}

/** A stored passkey as the library wants it. */
export function credentialOf(factor: { credentialId: string | null; publicKey: string | null; signCount: bigint | null; transports: string | null }): WebAuthnCredential | null {
  if (!factor.credentialId || !factor.publicKey) return null;
  return {
    id: factor.credentialId,
    publicKey: new Uint8Array(Buffer.from(factor.publicKey, 'base64url')),
    counter: Number(factor.signCount ?? 0n),
    transports: transportsOf(factor.transports),
  };
}

export function transportsOf(stored: string | null): AuthenticatorTransportFuture[] | undefined {
  return stored ? (stored.split(',').filter(Boolean) as AuthenticatorTransportFuture[]) : undefined;
}
