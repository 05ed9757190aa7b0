import { describe, expect, it } from 'vitest';
import { sampledThrottle } from '@/lib/audit/record-throttled';

const throttled = (ip: string, who: { actorType: 'ANONYMOUS' | 'VENDOR'; agencyId?: string }) =>
  sampledThrottle({ ...who, actorId: who.actorType === 'VENDOR' ? 'vendor-account' : null, action: 'SIGN_IN_THROTTLED', outcome: 'DENIED', ip });

describe('sampling throttled attempts for the audit log', () => {
  it('[ANONYMOUS] a spray of made-up provider codes leaves vendor staff’s throttled sign-ins recorded, and other agencies’', () => {
    const flood = Array.from({ length: 500 }, (_, i) => throttled(`10.9.${i >> 8}.${i & 255}`, { actorType: 'ANONYMOUS' })).filter(Boolean);
    expect(flood).toHaveLength(100);
    expect(throttled('192.0.2.50', { actorType: 'ANONYMOUS' })).toBeNull();
    expect(throttled('192.0.2.51', { actorType: 'VENDOR' })).toMatchObject({ actorType: 'VENDOR', details: { refusalsThisMinute: 1 } });
    expect(throttled('192.0.2.52', { actorType: 'ANONYMOUS', agencyId: 'agency-acme' })).toMatchObject({ details: { refusalsThisMinute: 1 } });
  });
});
