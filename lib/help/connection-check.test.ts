import { describe, expect, it } from 'vitest';
import { classifyHealth, connectionOutcome } from './connection-check';

describe('classifyHealth', () => {
  it('reads our own answers', () => {
    expect(classifyHealth({ status: 200, body: { status: 'ok', time: '2026-11-27T10:00:00Z' } })).toBe('ok');
    expect(classifyHealth({ status: 503, body: { status: 'degraded', database: 'unreachable' } })).toBe('degraded');
  });

  it('calls no answer at all unreachable', () => {
    expect(classifyHealth(null)).toBe('unreachable');
  });

  it('calls an answer that is not ours unexpected (a Wi-Fi sign-in page, a proxy)', () => {
    expect(classifyHealth({ status: 200, body: null })).toBe('unexpected');
    expect(classifyHealth({ status: 200, body: '<html>Accept the terms</html>' })).toBe('unexpected');
    expect(classifyHealth({ status: 403, body: { error: 'blocked' } })).toBe('unexpected');
    expect(classifyHealth({ status: 500, body: { status: 'ok' } })).toBe('unexpected');
  });
});

describe('connectionOutcome', () => {
  it('gives the offline advice whenever the browser is offline, whatever the last answer was', () => {
    for (const health of ['ok', 'pending', 'unreachable'] as const) {
      const outcome = connectionOutcome(false, health);
      expect(outcome.tone).toBe('problem');
      expect(outcome.title).toBe('Your device is not connected to the internet.');
      expect(outcome.steps.join(' ')).toMatch(/Wi-Fi/);
    }
  });

  it('says the connection is not the problem when CareNotes answers', () => {
    const outcome = connectionOutcome(true, 'ok');
    expect(outcome.tone).toBe('ok');
    expect(outcome.steps[0]).toBe('The problem is not your internet connection.');
    expect(outcome.steps.at(-1)).toBe('If you still cannot sign in, ask your provider administrator (step 7).');
  });

  it('sends no one to the administrator before the status says sign-in is open (review r52f F7)', () => {
    const outcome = connectionOutcome(true, 'ok', null);
    expect(outcome.tone).toBe('ok');
    expect(outcome.steps.join(' ')).not.toMatch(/administrator/);
  });

  it('says sign-in is closed, not "ask your administrator", while a window that closes sign-in is in progress (review r52d F3)', () => {
    const outcome = connectionOutcome(true, 'ok', true);
    expect(outcome.tone).toBe('warning');
    expect(outcome.title).toMatch(/sign-in is closed for planned maintenance/);
    expect(outcome.steps.join(' ')).not.toMatch(/administrator \(step 7\)/);
  });

  it('says CareNotes itself has a problem when it answers degraded', () => {
    const outcome = connectionOutcome(true, 'degraded');
    expect(outcome.tone).toBe('warning');
    expect(outcome.title).toMatch(/CareNotes has a problem/);
  });

  it('sends the person to another site when CareNotes cannot be reached', () => {
    const outcome = connectionOutcome(true, 'unreachable');
    expect(outcome.tone).toBe('problem');
    expect(outcome.steps[0]).toMatch(/well-known website/);
  });

  it('points at Wi-Fi sign-in pages and filters when something else answered', () => {
    const outcome = connectionOutcome(true, 'unexpected');
    expect(outcome.title).toMatch(/Wi-Fi sign-in page/);
    expect(outcome.steps.join(' ')).toMatch(/IT support/);
  });

  it('shows a checking state with no advice yet', () => {
    expect(connectionOutcome(true, 'pending')).toEqual({ tone: 'pending', title: 'Checking your connection to CareNotes…', steps: [] });
  });
});
