import { knowsAccount, rememberAccount, type KnownAccount } from '@/lib/auth/known-device';
import type { KnowsAccount } from '@/lib/auth/sign-in';

/** A browser that signed in as `account` before (decision 062): its known-device cookie, as the sign-in wrote it. */
export function usualBrowserOf(account: KnownAccount): KnowsAccount {
  const cookie = rememberAccount(undefined, account);
  return (asked) => knowsAccount(cookie, asked);
}
