import { describe, expect, it } from 'vitest';
import { clientAddress, forwardedAddress } from './client-address.mjs';

describe('clientAddress', () => {
  it('counts every address of one IPv6 /64 as one client, however it is written', () => {
    const oneHost = ['2001:db8:1:2::1', '2001:0DB8:0001:0002:ffff:1234:5678:9abc', '2001:db8:1:2:0:0:0:0', '2001:db8:1:2::a%eth0', '2001:db8:1:2::192.0.2.7'];
    expect(new Set(oneHost.map(clientAddress))).toEqual(new Set(['2001:db8:1:2::/64']));
    expect(clientAddress('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(clientAddress('::1')).toBe('::1');
    expect(clientAddress('fe80::1')).toBe('fe80:0:0:0::/64');
  });

  it('keeps IPv4 as it is, also when it comes IPv4-mapped, and leaves what is no address alone', () => {
    expect(clientAddress('192.0.2.7')).toBe('192.0.2.7');
    expect(clientAddress('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(clientAddress('::FFFF:192.0.2.7')).toBe('192.0.2.7');
    // The same, written in hex or in full, as a proxy may forward it (review r48b F1): not the /64 `::` of everyone.
    for (const mapped of ['::ffff:c000:207', '::FFFF:C000:0207', '0:0:0:0:0:ffff:c000:207', '0000:0000:0000:0000:0000:ffff:192.0.2.7']) {
      expect(clientAddress(mapped), mapped).toBe('192.0.2.7');
    }
    // SIIT's translated form and NAT64's well-known prefix carry the IPv4 client too (review r48c F1).
    for (const carried of ['::ffff:0:192.0.2.7', '::ffff:0:c000:207', '64:ff9b::192.0.2.7', '64:FF9B::c000:207', '64:ff9b:0:0:0:0:c000:207']) {
      expect(clientAddress(carried), carried).toBe('192.0.2.7');
    }
    // Never a loopback or private IPv4 address that way: an IPv6 host posing as this machine (review r48e F2).
    for (const posing of ['64:ff9b::127.0.0.1', '64:ff9b::7f00:1', '::ffff:0:127.0.0.1', '64:ff9b::10.0.0.1', '64:ff9b::192.168.1.1', '64:ff9b::169.254.0.1']) {
      expect(clientAddress(posing), posing).toMatch(/::\/64$/);
    }
    // Only those prefixes: an address that merely ends so is an IPv6 host.
    expect(clientAddress('fe80::ffff:c000:207')).toBe('fe80:0:0:0::/64');
    expect(clientAddress('64:ff9b:1::c000:207')).toBe('64:ff9b:1:0::/64');
    expect(clientAddress('::ffff:0:0')).toBe('0.0.0.0');
    expect(clientAddress('::ffff:ffff:ffff')).toBe('255.255.255.255');
    expect(clientAddress('0:0:0:0:0:0:0:1')).toBe('::1');
    expect(clientAddress('unknown')).toBe('unknown');
  });
});

describe('forwardedAddress', () => {
  it('reads an entry with or without the port of the client’s connection as the same address', () => {
    for (const entry of ['192.0.2.7', '192.0.2.7:40001', '192.0.2.7:1']) expect(forwardedAddress(entry)).toBe('192.0.2.7');
    for (const entry of ['2001:db8:1:2::a', '[2001:db8:1:2::a]', '[2001:db8:1:2::a]:443']) expect(forwardedAddress(entry)).toBe('2001:db8:1:2::a');
    for (const entry of ['::ffff:192.0.2.7', '[::ffff:192.0.2.7]:443']) expect(forwardedAddress(entry)).toBe('::ffff:192.0.2.7');
  });

  it('gives nothing for what is no address, or an address with more than a port after it', () => {
    const notAddresses = ['unknown', '_hidden', '', '192.0.2.7:', '192.0.2.7:123456', '192.0.2.7:80:80', '192.0.2', '192.0.2.7.8', '[192.0.2.7]:80', '[2001:db8::1', '2001:db8::1]:443', '[2001:db8::1]:', 'evil.example:80', '192.0.2.7 :80'];
    for (const entry of notAddresses) expect(forwardedAddress(entry), entry).toBeNull();
  });
});
