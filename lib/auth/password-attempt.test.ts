import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ATTEMPT_PATHWAYS, lockSetBy } from '@/lib/auth/password-attempt';

describe('the pathways that count a try at a secret', () => {
  it('each says what a lock it set proves: a stranger, codes after the password, or a session signed in as the account', () => {
    expect(Object.fromEntries(ATTEMPT_PATHWAYS.map((pathway) => [pathway, lockSetBy(pathway)]))).toEqual({
      'sign-in': 'guesses',
      'passkey sign-in': 'guesses',
      'second factor': 'codes after the password',
      'signed-in second factor': 'a signed-in session',
      'current password': 'a signed-in session',
      'change-password': 'a signed-in session',
    });
  });

  it('each is a value of the lock metric\'s pathway label the README lists', () => {
    const row = readFileSync('README.md', 'utf8')
      .split('\n')
      .find((line) => line.startsWith('| `portal_account_locks_total`'));
    const listed = [...(row ?? '').matchAll(/`([a-z -]+)`/g)].map((match) => match[1]);
    for (const pathway of ATTEMPT_PATHWAYS) expect(listed).toContain(pathway);
  });
});
