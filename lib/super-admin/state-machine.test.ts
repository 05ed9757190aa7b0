import { describe, expect, it } from 'vitest';
import type { ResetRequestState } from '@/lib/generated/sqlite/enums';
import {
  availableTransitions,
  canTransition,
  CLOSED_STATES,
  OPEN_STATES,
  TRANSITIONS,
  transitionData,
  transitionWhere,
  type RequestPosition,
} from './state-machine';

const VERA = 'vera';
const VICTOR = 'victor';
const at = (state: ResetRequestState, claimedById: string | null = null, verifiedById: string | null = null): RequestPosition => ({
  state,
  claimedById,
  verifiedById,
});

describe('the super-admin request state machine', () => {
  it('follows SUBMITTED → IN_REVIEW → VERIFIED → APPROVED → COMPLETED', () => {
    expect(TRANSITIONS.claim.from).toHaveProperty('SUBMITTED');
    expect(TRANSITIONS.claim.to).toBe('IN_REVIEW');
    expect(TRANSITIONS.verify.from).toHaveProperty('IN_REVIEW');
    expect(TRANSITIONS.verify.to).toBe('VERIFIED');
    expect(TRANSITIONS.approve.from).toEqual({ VERIFIED: 'not-verifier' });
    expect(TRANSITIONS.approve.to).toBe('APPROVED');
    expect(TRANSITIONS.complete.from).toEqual({ APPROVED: 'link-holder' });
    expect(TRANSITIONS.complete.to).toBe('COMPLETED');
  });

  it('leaves no way out of a closed state', () => {
    for (const [, transition] of Object.entries(TRANSITIONS)) {
      for (const closed of CLOSED_STATES) expect(transition.from).not.toHaveProperty(closed);
    }
  });

  it('lets every open request expire or be cancelled, and nothing else reach those states', () => {
    for (const state of OPEN_STATES) {
      expect(TRANSITIONS.expire.from).toHaveProperty(state);
      expect(TRANSITIONS.cancel.from).toHaveProperty(state);
    }
  });

  it('closes an approval whose link died unused as EXPIRED, by the system, from APPROVED alone, and frees the slot', () => {
    expect(TRANSITIONS.lapse).toEqual({ to: 'EXPIRED', from: { APPROVED: 'system' } });
    const now = new Date('2026-11-30T12:00:00Z');
    // Within the request's 7 days: past them it is the expiry round's to close.
    expect(transitionWhere('lapse', 'r1', null, now)).toEqual({ id: 'r1', OR: [{ state: 'APPROVED' }], expiresAt: { gt: now } });
    expect(transitionData('lapse', { stateReason: 'why' })).toEqual({ stateReason: 'why', state: 'EXPIRED', openKey: null });
  });

  it('[VERIFIER] can claim a new request and then work it', () => {
    expect(availableTransitions(at('SUBMITTED'), VERA)).toEqual(['claim', 'reject']);
    expect(availableTransitions(at('IN_REVIEW', VERA), VERA)).toEqual(['recordCallback', 'requestMoreInfo', 'verify', 'reject']);
  });

  it('[VERIFIER] cannot work a request another verifier claimed, only take it over', () => {
    expect(availableTransitions(at('IN_REVIEW', VERA), VICTOR)).toEqual(['claim']);
  });

  it('[VERIFIER] cannot approve a request they verified', () => {
    expect(canTransition('approve', at('VERIFIED', VERA, VERA), VERA)).toBe(false);
    expect(availableTransitions(at('VERIFIED', VERA, VERA), VERA)).toEqual(['reject']);
  });

  it('[VERIFIER] can approve a request another verifier verified', () => {
    expect(canTransition('approve', at('VERIFIED', VERA, VERA), VICTOR)).toBe(true);
  });

  it('[VERIFIER] cannot approve a request nobody verified', () => {
    expect(canTransition('approve', at('VERIFIED', VERA, null), VICTOR)).toBe(false);
    expect(canTransition('approve', at('IN_REVIEW', VERA, null), VICTOR)).toBe(false);
  });

  it('[VERIFIER] has nothing to do once the link is out, or the request is closed', () => {
    for (const state of ['APPROVED', ...CLOSED_STATES] as const) {
      expect(availableTransitions(at(state, VERA, VERA), VICTOR)).toEqual([]);
    }
  });

  it('builds the conditional update from the same table (four eyes and expiry in the WHERE)', () => {
    const now = new Date('2026-11-30T12:00:00Z');
    expect(transitionWhere('approve', 'r1', VICTOR, now)).toEqual({
      id: 'r1',
      OR: [{ state: 'VERIFIED', verifiedById: { not: null }, NOT: { verifiedById: VICTOR } }],
      expiresAt: { gt: now },
    });
    expect(transitionWhere('claim', 'r1', VERA, now)).toEqual({
      id: 'r1',
      OR: [{ state: 'SUBMITTED' }, { state: 'NEEDS_INFO' }, { state: 'IN_REVIEW', NOT: { claimedById: VERA } }],
      expiresAt: { gt: now },
    });
    expect(transitionWhere('verify', 'r1', VERA, now)).toEqual({ id: 'r1', OR: [{ state: 'IN_REVIEW', claimedById: VERA }], expiresAt: { gt: now } });
    expect(transitionWhere('expire', 'r1', null, now)).toMatchObject({ expiresAt: { lte: now } });
  });

  it('refuses every step but expiry on a request past its expiry date', () => {
    const now = new Date();
    for (const transition of Object.keys(TRANSITIONS) as (keyof typeof TRANSITIONS)[]) {
      expect(transitionWhere(transition, 'r1', VERA, now).expiresAt).toEqual(transition === 'expire' ? { lte: now } : { gt: now });
    }
  });

  it('frees the account’s one open slot exactly when a transition closes the request', () => {
    for (const transition of Object.keys(TRANSITIONS) as (keyof typeof TRANSITIONS)[]) {
      const closes = (CLOSED_STATES as readonly string[]).includes(TRANSITIONS[transition].to);
      expect(transitionData(transition, {}), transition).toEqual(
        closes ? { state: TRANSITIONS[transition].to, openKey: null } : { state: TRANSITIONS[transition].to },
      );
    }
  });
});
