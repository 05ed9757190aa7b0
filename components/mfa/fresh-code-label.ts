/**
 * What the field asking for a fresh factor's code says to an admin held to passkeys (appCodesRefused): their app
 * codes are refused there, so it asks only for a recovery code; the passkey is the button beside it.
 */
export const RECOVERY_CODE_ONLY_LABEL = 'A recovery code, if you cannot use your passkey';

/** The add-passkey form has no passkey of its own to confirm with: to such an admin it asks for a recovery code plainly. */
export const RECOVERY_CODE_TO_ADD_PASSKEY_LABEL = 'One of your recovery codes (adding a passkey asks for one)';
