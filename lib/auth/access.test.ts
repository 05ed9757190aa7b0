import { describe, expect, it } from 'vitest';
import { decideAccess } from '@/lib/auth/access';
import type { AgencyActor, VendorActor } from '@/lib/auth/session';

const staff: AgencyActor = {
  kind: 'agency',
  sessionId: 's',
  userId: 'u',
  agencyId: 'a',
  agencyCode: 'ACME',
  agencyName: 'Acme',
  agencyTimeZone: 'UTC',
  role: 'STAFF',
  loginName: 'jo',
  displayName: 'Jo',
  mustChangePassword: false,
  secondFactorPending: false,
  mustEnrolSecondFactor: false,
};
const verifier: VendorActor = {
  kind: 'vendor',
  sessionId: 's',
  vendorAccountId: 'v',
  role: 'VERIFIER',
  email: 'v@vendor.test',
  displayName: 'V',
  secondFactorPending: false,
  mustEnrolSecondFactor: false,
};

describe('decideAccess', () => {
  it('[STAFF] can reach agency pages', () => {
    expect(decideAccess(staff, { principal: 'agency' })).toBe('allowed');
  });
  it('[anonymous] is sent to sign in', () => {
    expect(decideAccess(null, { principal: 'agency' })).toBe('signed-out');
  });
  it('[STAFF] cannot reach admin-only entry points', () => {
    expect(decideAccess(staff, { principal: 'agency', roles: ['PROVIDER_ADMIN', 'SUPER_ADMIN'] })).toBe('forbidden');
  });
  it('[STAFF with a temporary password] reaches only the password change', () => {
    const pending = { ...staff, mustChangePassword: true };
    expect(decideAccess(pending, { principal: 'agency' })).toBe('password-change-required');
    expect(decideAccess(pending, { principal: 'agency', duringForcedPasswordChange: true })).toBe('allowed');
  });
  it('[VERIFIER] cannot reach agency entry points, and [STAFF] cannot reach vendor ones', () => {
    expect(decideAccess(verifier, { principal: 'agency', duringForcedPasswordChange: true })).toBe('forbidden');
    expect(decideAccess(staff, { principal: 'vendor' })).toBe('forbidden');
  });
  it('[VERIFIER] cannot reach operator-only entry points', () => {
    expect(decideAccess(verifier, { principal: 'vendor', roles: ['OPERATOR'] })).toBe('forbidden');
    expect(decideAccess(verifier, { principal: 'vendor', roles: ['VERIFIER'] })).toBe('allowed');
  });
  it('[PROVIDER_ADMIN] of an agency requiring passkeys, without one, reaches only enrolment (and a forced password change)', () => {
    const admin = { ...staff, role: 'PROVIDER_ADMIN' as const, mustEnrolPasskey: true };
    expect(decideAccess(admin, { principal: 'agency', roles: ['PROVIDER_ADMIN'] })).toBe('enrolment-required');
    expect(decideAccess(admin, { principal: 'agency' })).toBe('enrolment-required');
    expect(decideAccess(admin, { principal: 'agency', duringEnrolment: true })).toBe('allowed');
    // The password change page, which also serves a change nobody forces: enrolment first.
    expect(decideAccess(admin, { principal: 'agency', duringForcedPasswordChange: true })).toBe('enrolment-required');
    const withTemporaryPassword = { ...admin, mustChangePassword: true };
    expect(decideAccess(withTemporaryPassword, { principal: 'agency', duringEnrolment: true })).toBe('password-change-required');
    expect(decideAccess(withTemporaryPassword, { principal: 'agency', duringForcedPasswordChange: true })).toBe('allowed');
    expect(decideAccess({ ...admin, secondFactorPending: true }, { principal: 'agency', duringEnrolment: true })).toBe('second-factor-required');
    expect(decideAccess({ ...admin, mustEnrolPasskey: false }, { principal: 'agency', roles: ['PROVIDER_ADMIN'] })).toBe('allowed');
  });
});
