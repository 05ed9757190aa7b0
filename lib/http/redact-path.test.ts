import { describe, expect, it } from 'vitest';
import { redactPath } from '@/lib/http/redact-path';

describe('redactPath', () => {
  it.each([
    ['/reset/abcDEF123_-', '/reset/[redacted]'],
    ['/reset/abc?x=1', '/reset/[redacted]?x=1'],
    ['/super-admin-reset/cancel/tok3n', '/super-admin-reset/cancel/[redacted]'],
    ['/status/unsubscribe?s=1&t=secret', '/status/unsubscribe?s=1&t=[redacted]'],
    ['/status/subscribe/confirm?t=secret&s=2', '/status/subscribe/confirm?t=[redacted]&s=2'],
    ['/help', '/help'],
  ])('%s → %s', (path, expected) => {
    expect(redactPath(path)).toBe(expected);
  });
});
