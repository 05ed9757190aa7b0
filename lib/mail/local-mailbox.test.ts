import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, namesThisMachine } from './local-mailbox';

describe('isLoopbackAddress', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])('%s is the machine itself', (ip) => {
    expect(isLoopbackAddress(ip)).toBe(true);
  });

  it.each(['192.0.2.2', '10.0.0.1', '::ffff:192.0.2.2', '2001:db8::1', '127.0.0.1.evil', '1127.0.0.1', '', 'unknown'])('%s is not', (ip) => {
    expect(isLoopbackAddress(ip)).toBe(false);
  });
});

describe('namesThisMachine', () => {
  it.each(['localhost:3000', 'LOCALHOST', '127.0.0.1:3000', '127.1.2.3', '[::1]:3000', 'localhost:'])('%s names the machine', (host) => {
    expect(namesThisMachine(host)).toBe(true);
  });

  // A page of another site whose name was pointed at 127.0.0.1 (DNS rebinding) sends its own name.
  it.each(['rebind.attacker.example:3000', 'localhost.attacker.example', '127.0.0.1.nip.io', 'evil.example', '', null])('%s does not', (host) => {
    expect(namesThisMachine(host)).toBe(false);
  });
});
