import { describe, expect, it } from 'vitest';
import { failedBeforeWriting, isDatabaseUnavailable } from './unexpected-error';

/** As Prisma throws a PostgreSQL error it has no code of its own for: P2039, the server's code in the message. */
const prismaDatabaseError = (code: string, message: string) =>
  Object.assign(new Error(`\nInvalid \`prisma.statusVersion.findUnique()\` invocation:\n\n\nDatabase error. Code: \`${code}\`. Message: \`${message}\``), {
    code: 'P2039',
  });

describe('isDatabaseUnavailable and failedBeforeWriting', () => {
  it('read PostgreSQL starting up, passed on by Prisma with its code in the message, as unavailable and nothing written', () => {
    const starting = prismaDatabaseError('57P03', 'the database system is starting up');
    expect([isDatabaseUnavailable(starting), failedBeforeWriting(starting)]).toEqual([true, true]);
    const notYet = new Error('the database system is not yet accepting connections');
    expect([isDatabaseUnavailable(notYet), failedBeforeWriting(notYet)]).toEqual([true, true]);
  });

  it('read a shutdown or a lost connection as unavailable, but not as nothing written: COMMIT may have been sent', () => {
    for (const error of [
      prismaDatabaseError('57P01', 'terminating connection due to administrator command'),
      new Error('the database system is shutting down'),
      new Error('the database system is in recovery mode'),
      Object.assign(new Error('x'), { cause: { code: 'ECONNRESET' } }),
    ]) {
      expect([isDatabaseUnavailable(error), failedBeforeWriting(error)], error.message).toEqual([true, false]);
    }
  });

  it('read other database errors as bugs, and a code only where Prisma puts the server’s', () => {
    expect(isDatabaseUnavailable(prismaDatabaseError('23505', 'duplicate key value violates unique constraint'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('Code: `57P03` in someone’s own words'))).toBe(false);
  });
});
