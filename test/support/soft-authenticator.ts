import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

// A software WebAuthn authenticator (ES256, "none" attestation) for integration tests: it makes
// the same bytes a browser and a platform authenticator would, so the server's real checks run.

type CborValue = number | string | Uint8Array | Map<CborValue, CborValue> | CborValue[];

function head(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 256) return Buffer.from([(major << 5) | 24, length]);
  if (length < 65536) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
  throw new Error('too long for this encoder');
}

/** Just enough CBOR (RFC 8949) for COSE keys and attestation objects. */
export function cbor(value: CborValue): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(cbor)]);
  return Buffer.concat([head(5, value.size), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest();

function counterBytes(counter: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(counter);
  return out;
}

export type SoftPasskey = {
  credentialId: Buffer;
  privateKey: KeyObject;
  cosePublicKey: Buffer;
  userHandle: string | undefined;
  counter: number;
  /** A synced passkey (a password manager's): its signature counter stays 0, as such providers report. */
  synced?: boolean;
};

/** A copy of a passkey as a cloned authenticator holds it: the same key, its own counter from here on. */
export function copyOf(passkey: SoftPasskey): SoftPasskey {
  return { ...passkey };
}

export function newSoftPasskey({ synced = false } = {}): SoftPasskey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const cosePublicKey = cbor(
    new Map<CborValue, CborValue>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]),
  );
  return { credentialId: randomBytes(16), privateKey, cosePublicKey, userHandle: undefined, counter: 0, synced };
}

type Ceremony = { challenge: string; rpId: string; origin: string; userVerified?: boolean };

function clientData(type: 'webauthn.create' | 'webauthn.get', { challenge, origin }: Ceremony): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

/** What `navigator.credentials.create()` gives the page, as @simplewebauthn/browser posts it. */
export function registrationResponse(passkey: SoftPasskey, ceremony: Ceremony & { userId?: string }) {
  passkey.userHandle = ceremony.userId;
  const flags = 0x01 | (ceremony.userVerified === false ? 0 : 0x04) | 0x40; // UP, UV, AT
  const idLength = Buffer.from([passkey.credentialId.length >> 8, passkey.credentialId.length & 0xff]);
  const authData = Buffer.concat([
    sha256(ceremony.rpId),
    Buffer.from([flags]),
    counterBytes(passkey.counter),
    Buffer.alloc(16), // AAGUID
    idLength,
    passkey.credentialId,
    passkey.cosePublicKey,
  ]);
  const attestationObject = cbor(new Map<CborValue, CborValue>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
  return {
    id: b64url(passkey.credentialId),
    rawId: b64url(passkey.credentialId),
    type: 'public-key',
    response: { clientDataJSON: b64url(clientData('webauthn.create', ceremony)), attestationObject: b64url(attestationObject), transports: ['internal'] },
    clientExtensionResults: {},
  };
}

/** What `navigator.credentials.get()` gives the page: a signature over authenticatorData ‖ SHA-256(clientDataJSON). */
export function assertionResponse(passkey: SoftPasskey, ceremony: Ceremony) {
  if (!passkey.synced) passkey.counter += 1;
  const flags = 0x01 | (ceremony.userVerified === false ? 0 : 0x04);
  const authData = Buffer.concat([sha256(ceremony.rpId), Buffer.from([flags]), counterBytes(passkey.counter)]);
  const data = clientData('webauthn.get', ceremony);
  const signature = sign('sha256', Buffer.concat([authData, sha256(data)]), passkey.privateKey);
  return {
    id: b64url(passkey.credentialId),
    rawId: b64url(passkey.credentialId),
    type: 'public-key',
    response: {
      clientDataJSON: b64url(data),
      authenticatorData: b64url(authData),
      signature: b64url(signature),
      ...(passkey.userHandle ? { userHandle: passkey.userHandle } : {}),
    },
    clientExtensionResults: {},
  };
}
