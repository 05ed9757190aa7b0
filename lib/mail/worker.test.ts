import { describe, expect, it } from 'vitest';
import { withoutAddresses } from './worker';

describe('a delivery failure as the log gets it', () => {
  it('keeps what went wrong and drops every address a mail server quoted', () => {
    const reply = 'Error: Can\'t send mail - all recipients were rejected: 550 5.1.1 <alice.o\'neil+care@home-care.example>: Recipient address rejected (also bob@x.example, "carol@y.example")';
    const logged = withoutAddresses(reply);
    expect(logged).toBe('Error: Can\'t send mail - all recipients were rejected: 550 5.1.1 <[address]>: Recipient address rejected (also [address], "[address]")');
    expect(withoutAddresses('Error: connect ECONNREFUSED 127.0.0.1:2525')).toBe('Error: connect ECONNREFUSED 127.0.0.1:2525');
  });
});
