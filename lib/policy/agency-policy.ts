import { z } from 'zod';
import { DEFAULT_TIME_ZONE, isSupportedTimeZone, timeZoneLabel } from '@/lib/format/date';

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

/** What each setting is called: on the policy page, in the question before a looser save, and in the mail of a change. */
export const POLICY_LABELS: Record<keyof AgencyPolicy, string> = {
  minPasswordLength: 'Minimum password length',
  passwordHistoryCount: 'Previous passwords that cannot be reused',
  softLockThreshold: 'Failed sign-ins before a short lock',
  hardLockThreshold: 'Failed sign-ins in 24 hours before a lock only an admin can end',
  temporaryPasswordHours: 'Temporary password lifetime (hours)',
  resetLinkHours: 'Reset link lifetime (hours)',
  signInAlertThreshold: 'Accounts failing to sign in within 10 minutes before admins are alerted',
  onlySuperAdminsResetAdmins: 'Only super administrators may reset an administrator’s password',
  requireSecondFactorForAllStaff: 'Every staff member must set up a second factor (administrators always must)',
  requirePasskeyForAdmins: 'Administrators must sign in with a passkey (an authenticator-app code alone is no longer enough)',
  timeZone: 'Time zone',
};

/**
 * Which way each setting weakens sign-in: a shorter or less remembered password, more guesses before a lock,
 * a temporary password or reset link that lives longer, a spray that must be bigger to be heard of, a rule
 * turned off. A save that moves any setting that way asks for the super admin's own fresh second factor
 * (lib/admin/permissions.ts; review r55g F1). The time zone weakens nothing.
 */
const LOOSER_WHEN = {
  minPasswordLength: 'lower',
  passwordHistoryCount: 'lower',
  softLockThreshold: 'higher',
  hardLockThreshold: 'higher',
  temporaryPasswordHours: 'higher',
  resetLinkHours: 'higher',
  signInAlertThreshold: 'higher',
  onlySuperAdminsResetAdmins: 'off',
  requireSecondFactorForAllStaff: 'off',
  requirePasskeyForAdmins: 'off',
  timeZone: null,
} as const satisfies Record<keyof AgencyPolicy, 'lower' | 'higher' | 'off' | null>;

/** The settings `after` makes looser than `before`, in the form's order. */
export function loosenedSettings(before: AgencyPolicy, after: AgencyPolicy): (keyof AgencyPolicy)[] {
  return (Object.keys(LOOSER_WHEN) as (keyof AgencyPolicy)[]).filter((key) => {
    const [was, is] = [before[key], after[key]];
    switch (LOOSER_WHEN[key]) {
      case 'lower':
        return Number(is) < Number(was);
      case 'higher':
        return Number(is) > Number(was);
      case 'off':
        return was === true && is === false;
      default:
        return false;
    }
  });
}

/** A setting's change in words, as the page's question and the change's mail say it; `looser`: it weakens sign-in. */
export type PolicyChange = { setting: keyof AgencyPolicy; label: string; from: string; to: string; looser: boolean };

/** Each setting `after` changes, in the form's order, with its value before and after in words. */
export function policyChanges(before: AgencyPolicy, after: AgencyPolicy): PolicyChange[] {
  const looser = loosenedSettings(before, after);
  return (Object.keys(POLICY_LABELS) as (keyof AgencyPolicy)[])
    .filter((setting) => before[setting] !== after[setting])
    .map((setting) => ({ setting, label: POLICY_LABELS[setting], from: inWords(setting, before[setting]), to: inWords(setting, after[setting]), looser: looser.includes(setting) }));
}

function inWords(setting: keyof AgencyPolicy, value: AgencyPolicy[keyof AgencyPolicy]): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return setting === 'timeZone' ? timeZoneLabel(String(value)) : String(value);
}

/** Vendor staff have no agency; they get the defaults. */
export const VENDOR_POLICY: AgencyPolicy = DEFAULT_POLICY;
