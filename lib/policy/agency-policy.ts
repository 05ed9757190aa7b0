import { z } from 'zod';
import { DEFAULT_TIME_ZONE, isSupportedTimeZone } from '@/lib/format/date';

// PRODUCT.md's policy table: defaults, and the bounds within which an agency may tighten them.
export const POLICY_BOUNDS = {
  minPasswordLength: { min: 8, max: 64, default: 15 },
  passwordHistoryCount: { min: 0, max: 24, default: 5 },
  softLockThreshold: { min: 3, max: 20, default: 5 },
  hardLockThreshold: { min: 10, max: 100, default: 20 },
  temporaryPasswordHours: { min: 1, max: 168, default: 72 },
  resetLinkHours: { min: 1, max: 24, default: 24 },
  // Distinct accounts failing within 10 minutes before the admins hear of a spray.
  signInAlertThreshold: { min: 3, max: 1000, default: 10 },
} as const;

type BoundedKey = keyof typeof POLICY_BOUNDS;

/**
 * A form's whole number: digits only, spaces around them allowed. Coercion read a blank box as 0 (it
 * switched password history off, review r25c), and took "1e1", "0x10", "5.0" or a list as numbers.
 */
const WHOLE_NUMBER = /^\s*[0-9]{1,9}\s*$/;

function bounded(key: BoundedKey, label: string) {
  const { min, max } = POLICY_BOUNDS[key];
  const asTyped = (value: unknown) => (typeof value === 'string' && WHOLE_NUMBER.test(value) ? Number(value) : value);
  return z.preprocess(
    asTyped,
    z
      .number({ error: `Enter the ${label} as a whole number` })
      .int(`Enter the ${label} as a whole number`)
      .min(min, `The ${label} must be between ${min} and ${max}`)
      .max(max, `The ${label} must be between ${min} and ${max}`),
  );
}

// A form posts a ticked checkbox as "on" and an unticked one not at all. Anything else is no form's tick (a
// script's "ON" or "1"): refused, not saved as unticked, which turned a rule off (review r50a F2).
const checkbox = z.preprocess(
  (value) => value ?? false,
  z.union([z.boolean(), z.enum(['on', 'true']).transform(() => true)], { error: 'Tick the box, or leave it empty' }),
);

export const agencyPolicySchema = z
  .object({
    minPasswordLength: bounded('minPasswordLength', 'minimum password length'),
    passwordHistoryCount: bounded('passwordHistoryCount', 'number of previous passwords to block'),
    softLockThreshold: bounded('softLockThreshold', 'failures before a temporary lock'),
    hardLockThreshold: bounded('hardLockThreshold', 'failures before a lock that needs an admin'),
    temporaryPasswordHours: bounded('temporaryPasswordHours', 'temporary password lifetime in hours'),
    resetLinkHours: bounded('resetLinkHours', 'reset link lifetime in hours'),
    signInAlertThreshold: bounded('signInAlertThreshold', 'number of accounts failing at once that alerts the admins'),
    onlySuperAdminsResetAdmins: checkbox,
    // Admins must always have a second factor (lib/mfa/policy.ts); this extends it to all staff.
    requireSecondFactorForAllStaff: checkbox,
    // Provider and super admins must have a passkey (lib/mfa/passkey-policy.ts); their app codes stop finishing a sign-in.
    requirePasskeyForAdmins: checkbox,
    // Where the agency's mails and console show times; any IANA name this runtime knows.
    timeZone: z.string({ error: 'Choose a time zone' }).refine(isSupportedTimeZone, 'Choose a time zone from the list'),
  })
  .refine((policy) => policy.hardLockThreshold > policy.softLockThreshold, {
    path: ['hardLockThreshold'],
    message: 'The lock that needs an admin must take more failures than the temporary lock',
  });

export type AgencyPolicy = z.infer<typeof agencyPolicySchema>;

export const DEFAULT_POLICY: AgencyPolicy = {
  minPasswordLength: POLICY_BOUNDS.minPasswordLength.default,
  passwordHistoryCount: POLICY_BOUNDS.passwordHistoryCount.default,
  softLockThreshold: POLICY_BOUNDS.softLockThreshold.default,
  hardLockThreshold: POLICY_BOUNDS.hardLockThreshold.default,
  temporaryPasswordHours: POLICY_BOUNDS.temporaryPasswordHours.default,
  resetLinkHours: POLICY_BOUNDS.resetLinkHours.default,
  signInAlertThreshold: POLICY_BOUNDS.signInAlertThreshold.default,
  onlySuperAdminsResetAdmins: false,
  requireSecondFactorForAllStaff: false,
  requirePasskeyForAdmins: false,
  timeZone: DEFAULT_TIME_ZONE,
};

/** Vendor staff have no agency; they get the defaults. */
export const VENDOR_POLICY: AgencyPolicy = DEFAULT_POLICY;
