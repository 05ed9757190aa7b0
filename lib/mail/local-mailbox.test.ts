import { describe, expect, it } from 'vitest';
import { isLoopbackAddress } from './local-mailbox';

describe('isLoopbackAddress', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])('%s is the machine itself', (ip) => {
    expect(isLoopbackAddress(ip)).toBe(true);
  });

  it.each(['192.0.2.2', '10.0.0.1', '::ffff:192.0.2.2', '2001:db8::1', '127.0.0.1.evil', '1127.0.0.1', '', 'unknown'])('%s is not', (ip) => {
    expect(isLoopbackAddress(ip)).toBe(false);
  });
});
