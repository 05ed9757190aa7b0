import { describe, expect, it } from 'vitest';
import { challengeBytes, challengeIn, parseAuthenticationResponse, parseRegistrationResponse } from '@/lib/mfa/webauthn';

const clientData = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const assertion = {
  id: 'AAEC',
  rawId: 'AAEC',
  type: 'public-key',
  response: { clientDataJSON: clientData({ type: 'webauthn.get', challenge: 'abc_-' }), authenticatorData: 'AA', signature: 'AA' },
  clientExtensionResults: {},
};

describe('WebAuthn answers as the browser posts them', () => {
  it('reads the challenge the browser signed, and nothing from what is not JSON', () => {
    expect(challengeIn(assertion)).toBe('abc_-');
    expect(challengeIn({ response: { clientDataJSON: 'not-json' } })).toBeNull();
    expect(challengeIn({ response: { clientDataJSON: clientData({ challenge: 42 }) } })).toBeNull();
  });

  it('keeps a well-formed assertion and refuses one of another shape', () => {
    expect(parseAuthenticationResponse(JSON.stringify(assertion))).not.toBeNull();
    expect(parseAuthenticationResponse('{')).toBeNull();
    expect(parseAuthenticationResponse(JSON.stringify({ ...assertion, type: 'password' }))).toBeNull();
    expect(parseAuthenticationResponse(JSON.stringify({ ...assertion, id: 'has spaces' }))).toBeNull();
    expect(parseAuthenticationResponse(JSON.stringify({ ...assertion, response: { ...assertion.response, signature: undefined } }))).toBeNull();
    // A registration is not an assertion, and the other way round.
    expect(parseRegistrationResponse(JSON.stringify(assertion))).toBeNull();
  });

  it('hands the library the challenge as bytes that encode back to the very text stored', () => {
    const stored = Buffer.from('0123456789abcdef0123456789abcdef').toString('base64url');
    expect(Buffer.from(challengeBytes(stored)).toString('base64url')).toBe(stored);
  });
});
