import { afterEach, describe, expect, it, vi } from 'vitest';
import { clientIpFrom, currentRequestContext, logRequestError, REQUEST_ID_HEADER, requestIdFrom } from '@/lib/http/request-context';
import { logger } from '@/lib/observability/logger.mjs';

describe('request context', () => {
  afterEach(() => vi.restoreAllMocks());

  it('reads the request id server.mjs stamped, from either kind of header bag', () => {
    const id = '0b6f3c1e-2a4d-4f7e-9c8b-1d2e3f4a5b6c';
    expect(requestIdFrom(new Headers({ [REQUEST_ID_HEADER]: id }))).toBe(id);
    expect(requestIdFrom({ [REQUEST_ID_HEADER]: id })).toBe(id);
    expect(requestIdFrom({ [REQUEST_ID_HEADER]: [id, 'second'] })).toBe(id);
    expect(requestIdFrom({})).toBeNull();
  });

  it('keeps a value that could forge a log line or bloat a record out (served without server.mjs)', () => {
    for (const forged of ['', 'a b', 'id\nFAKE LOG LINE', 'x'.repeat(65), '<script>', 'naïve']) {
      expect(requestIdFrom({ [REQUEST_ID_HEADER]: forged }), JSON.stringify(forged)).toBeNull();
    }
  });

  it('reads the client address as before', () => {
    expect(clientIpFrom({ 'x-portal-client-ip': '203.0.113.9' })).toBe('203.0.113.9');
    expect(clientIpFrom({ 'x-portal-client-ip': 'x'.repeat(65) })).toBe('unknown');
  });

  it('is null outside a request, and log lines then name none', async () => {
    expect(await currentRequestContext()).toBeNull();
    const error = vi.spyOn(logger, 'error').mockImplementation(() => {});
    await logRequestError('round failed', new Error('boom'));
    await logRequestError('lookup failed', 'cause', 'req-42');
    expect(error.mock.calls).toEqual([
      [{ event: 'request.error', where: 'round failed', error: expect.objectContaining({ type: 'Error', message: 'boom' }) }],
      [{ event: 'request.error', where: 'lookup failed', requestId: 'req-42', error: { message: 'cause' } }],
    ]);
  });
});
