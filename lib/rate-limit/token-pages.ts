import { db } from '@/lib/db/client';
import { RATE_LIMITS, consumeRateLimit } from '@/lib/rate-limit/rate-limit';

/**
 * Every page reached by a secret link (the reset link, the "this wasn't me" cancel link, the
 * status subscription's confirm and unsubscribe pages) counts each submission (its POST) against
 * one limit per client address, and calls this before it looks at the token. When it says true,
 * the submission is answered exactly as for a wrong or expired link (same status, same words), so
 * being throttled tells a prober nothing a wrong guess would not. Opening a page is not counted
 * (decision 027): another site can make a visitor's browser open pages, never submit them. A
 * throttled try writes no audit record: a flood must not become a flood of serialized audit appends.
 */
export async function tokenPageThrottled(ip: string): Promise<boolean> {
  return (await consumeRateLimit(db(), RATE_LIMITS.tokenPagePerAddress, ip)).limited;
}
