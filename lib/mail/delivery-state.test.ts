import { describe, expect, it } from 'vitest';
import { describeDelivery, type OutboxRow } from './delivery-state';

const queuedAt = new Date('2026-11-30T10:00:00Z');
const row = (over: Partial<OutboxRow>): OutboxRow => ({ status: 'PENDING', attempts: 0, nextAttemptAt: queuedAt, sentAt: null, createdAt: queuedAt, ...over });

describe('the approval mail’s delivery, in words', () => {
  it('says queued, not sent, until the worker has tried', () => {
    expect(describeDelivery(row({}))).toEqual({ state: 'queued', words: 'Queued for e-mail at Nov 30, 2026, 10:00 AM UTC; not sent yet.' });
  });

  it('says retrying with the next try once an attempt failed', () => {
    const next = new Date('2026-11-30T10:06:00Z');
    expect(describeDelivery(row({ attempts: 2, nextAttemptAt: next }))).toEqual({
      state: 'retrying',
      words: 'Retrying: not delivered after 2 tries; next try at Nov 30, 2026, 10:06 AM UTC.',
    });
  });

  it('says sent with the time, and failed once the outbox gave up', () => {
    expect(describeDelivery(row({ status: 'SENT', attempts: 1, sentAt: new Date('2026-11-30T10:01:00Z') })).words).toBe(
      'Sent at Nov 30, 2026, 10:01 AM UTC (handed to the mail server).',
    );
    expect(describeDelivery(row({ status: 'DEAD', attempts: 6 }))).toMatchObject({ state: 'failed', words: expect.stringMatching(/^Failed: not delivered after 6 tries/) });
  });
});

describe('the same states for another reader', () => {
  it('keeps the verifier’s words by default and gives a failed mail the reader’s own advice', () => {
    expect(describeDelivery(row({ status: 'DEAD', attempts: 6 })).words).toBe(
      'Failed: not delivered after 6 tries. Ask a status operator to queue it again (npm run mail:dead) once the mail server works; nobody can see or resend the link by hand.',
    );
    expect(describeDelivery(row({ status: 'DEAD', attempts: 6 }), { ifFailed: 'Check the address on record.' })).toEqual({
      state: 'failed',
      words: 'Failed: not delivered after 6 tries. Check the address on record.',
    });
  });

  it('writes its times in the reader’s zone', () => {
    expect(describeDelivery(row({}), { timeZone: 'America/New_York' }).words).toBe('Queued for e-mail at Nov 30, 2026, 5:00 AM EST; not sent yet.');
    expect(describeDelivery(row({ status: 'SENT', sentAt: new Date('2026-11-30T10:01:00Z') }), { timeZone: 'America/New_York' }).words).toBe(
      'Sent at Nov 30, 2026, 5:01 AM EST (handed to the mail server).',
    );
  });
});
