// What each audit action code means, in the words an agency's administrator uses. The codes stay in
// the records and the CSV (stable, for scripts); people see these labels. One table, beside the codes.
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  SIGN_IN_SUCCESS: 'Signed in',
  SIGNED_OUT: 'Signed out',
  SIGN_IN_FAILURE: 'Failed sign-in',
  SIGN_IN_THROTTLED: 'Sign-in slowed down (too many failures)',
  SIGN_IN_SECOND_FACTOR_SUCCESS: 'Second factor accepted at sign-in',
  SIGN_IN_SECOND_FACTOR_FAILURE: 'Wrong second-factor code at sign-in',
  SIGN_IN_SPRAY_ALERTED: 'Admins alerted: many accounts failing to sign in',
  PASSWORD_CHANGED: 'Password changed',
  PASSWORD_CHANGE_FAILURE: 'Failed password change',
  CURRENT_PASSWORD_FAILURE: 'Wrong password when adding a sign-in method',
  PASSWORD_RESET_WITH_LINK: 'Password set with a reset link',
  RESET_LINK_REFUSED: 'Reset link refused',
  ADMIN_TEMPORARY_PASSWORD_ISSUED: 'Temporary password issued by an admin',
  ADMIN_RESET_LINK_SENT: 'Reset link sent by an admin',
  ADMIN_ACCOUNT_UNLOCKED: 'Account unlocked by an admin',
  VENDOR_ACCOUNT_UNLOCKED: 'Vendor account unlocked from the command line',
  ADMIN_ROLE_CHANGED: 'Role changed',
  ADMIN_SECOND_FACTORS_CLEARED: 'Second factors cleared by an admin',
  ADMIN_ACTION_DENIED: 'Admin action refused',
  AGENCY_POLICY_UPDATED: 'Security policy changed',
  SECOND_FACTOR_ADDED: 'Second factor added',
  SECOND_FACTOR_REMOVED: 'Second factor removed',
  SECOND_FACTOR_FAILURE: 'Wrong second-factor code',
  RECOVERY_CODES_REPLACED: 'Recovery codes replaced',
  HELP_REQUEST_CREATED: 'Asked the admins for help',
  HELP_REQUEST_THROTTLED: 'Help request refused (too many)',
  HELP_REQUEST_UNMATCHED: 'Help request for an unknown account',
  ACCESS_DENIED: 'Access refused',
  CROSS_SITE_REFUSED: 'Request from another site refused',
  SUPER_ADMIN_RESET_SUBMITTED: 'Super admin reset requested',
  SUPER_ADMIN_RESET_REPEATED: 'Super admin reset requested again',
  SUPER_ADMIN_RESET_CANCELLED: 'Super admin reset cancelled ("this wasn’t me")',
  SUPER_ADMIN_RESET_COMPLETED: 'Super admin reset completed',
  SUPER_ADMIN_RESET_EXPIRED: 'Super admin reset request expired',
  SUPER_ADMIN_RESET_LINK_LAPSED: 'Super admin reset request closed: its link was never used',
};

/** The label of an action code; a code without one reads as words ("SOME_CODE" → "Some code"). */
export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? action.charAt(0) + action.slice(1).toLowerCase().replaceAll('_', ' ');
}
