import { describe, expect, it } from 'vitest';
import type { StatusSummary } from '@/lib/status/status-summary';
import {
  describeDowntime,
  describeStatus,
  describeVendorWebsite,
  formatDuration,
  isSignInClosedForMaintenance,
  parseStatusSummary,
  STATUS_UNAVAILABLE,
  timeFormat,
} from './status-messages';

const utc = timeFormat('UTC');
const NOW = new Date('2026-11-27T14:00:00Z');

function summary(overrides: Partial<StatusSummary> = {}): StatusSummary {
  return {
    overall: 'OPERATIONAL',
    components: [
      { slug: 'sign-in', name: 'Sign-in', status: 'OPERATIONAL' },
      { slug: 'case-notes', name: 'Case notes', status: 'OPERATIONAL' },
    ],
    activeIncidents: [],
    maintenance: { active: null, next: null },
    generatedAt: NOW.toISOString(),
    ...overrides,
  };
}

const outage: StatusSummary['activeIncidents'][number] = {
  id: 'inc1',
  title: 'Sign-in is failing',
  impact: 'MAJOR_OUTAGE',
  status: 'IDENTIFIED',
  startedAt: '2026-11-27T12:00:00Z',
  latestUpdate: { message: 'We found the cause and expect a fix by 4 PM.', createdAt: '2026-11-27T13:30:00Z' },
};

const window = (startsAt: string, endsAt: string, blocksSignIn = true) => ({
  id: 'mw1',
  title: 'Database upgrade',
  description: 'Sign-in and case notes are unavailable.',
  startsAt,
  endsAt,
  blocksSignIn,
});

describe('timeFormat and formatDuration', () => {
  it('formats a time with its zone', () => {
    expect(utc(NOW)).toBe('Nov 27, 2026, 2:00 PM UTC');
  });

  it.each([
    [20_000, 'less than a minute'],
    [60_000, '1 minute'],
    [45 * 60_000, '45 minutes'],
    [60 * 60_000, '1 hour'],
    [150 * 60_000, '2 hours 30 minutes'],
    [27 * 3600_000, '1 day 3 hours'],
    [48 * 3600_000 + 10 * 60_000, '2 days'],
  ])('says %i ms as "%s"', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('describeStatus (step 4)', () => {
  it('says all is well, and that the problem is then more likely the device or the account', () => {
    const check = describeStatus(summary(), utc);
    expect(check).toMatchObject({ tone: 'ok', headline: 'All parts of CareNotes are working normally.', affected: [], incidents: [] });
    expect(check.advice).toMatch(/steps 5 and 7/);
  });

  it('names the affected parts and the posted incident with its latest update', () => {
    const check = describeStatus(
      summary({
        overall: 'MAJOR_OUTAGE',
        components: [
          { slug: 'sign-in', name: 'Sign-in', status: 'MAJOR_OUTAGE' },
          { slug: 'case-notes', name: 'Case notes', status: 'DEGRADED_PERFORMANCE' },
          { slug: 'reports', name: 'Reports', status: 'OPERATIONAL' },
        ],
        activeIncidents: [outage],
      }),
      utc,
    );
    expect(check.tone).toBe('problem');
    expect(check.headline).toBe('CareNotes is down.');
    expect(check.affected).toEqual(['Sign-in: down', 'Case notes: slower than usual']);
    expect(check.incidents).toEqual([
      {
        title: 'Sign-in is failing',
        state: 'cause found, being fixed',
        message: 'We found the cause and expect a fix by 4 PM.',
        postedAt: 'Nov 27, 2026, 1:30 PM UTC',
      },
    ]);
    expect(check.advice).toMatch(/cannot fix this from your device/);
  });

  it.each([
    ['DEGRADED_PERFORMANCE', 'warning', 'CareNotes is working, but slower than usual.'],
    ['PARTIAL_OUTAGE', 'problem', 'Part of CareNotes is not working.'],
    ['UNDER_MAINTENANCE', 'warning', 'CareNotes is under planned maintenance.'],
  ] as const)('says %s plainly', (overall, tone, headline) => {
    expect(describeStatus(summary({ overall }), utc)).toMatchObject({ tone, headline });
  });

  it('dates an incident without updates from its start', () => {
    const check = describeStatus(summary({ overall: 'PARTIAL_OUTAGE', activeIncidents: [{ ...outage, latestUpdate: null }] }), utc);
    expect(check.incidents[0]).toMatchObject({ message: null, postedAt: 'Nov 27, 2026, 12:00 PM UTC' });
  });
});

describe('describeVendorWebsite (step 3)', () => {
  it('says the portal answers and that no outage message is posted', () => {
    expect(describeVendorWebsite('ok', summary(), utc)).toEqual({
      tone: 'ok',
      answering: 'CareNotes is answering.',
      messages: [],
      noMessages: 'CareNotes has not posted any outage message.',
    });
  });

  it('says sign-in is closed while a window that closes it is in progress, and is no "Good" then (review r52d F3)', () => {
    const window = { id: 'w1', title: 'Upgrade', description: null, startsAt: '2026-11-27T13:00:00Z', endsAt: '2026-11-27T15:00:00Z', blocksSignIn: true };
    const check = describeVendorWebsite('ok', summary({ maintenance: { active: window, next: null } }), utc);
    expect(check).toMatchObject({ tone: 'warning', answering: 'CareNotes is answering, but sign-in is closed for planned maintenance: step 6 says until when.' });
    expect(describeVendorWebsite('ok', summary({ maintenance: { active: { ...window, blocksSignIn: false }, next: null } }), utc).tone).toBe('ok');
  });

  it('knows sign-in is closed only from a window in progress that closes it, never from an unknown status', () => {
    const window = { id: 'w1', title: 'Upgrade', description: null, startsAt: '2026-11-27T13:00:00Z', endsAt: '2026-11-27T15:00:00Z', blocksSignIn: true };
    expect(isSignInClosedForMaintenance(summary({ maintenance: { active: window, next: null } }))).toBe(true);
    expect(isSignInClosedForMaintenance(summary({ maintenance: { active: { ...window, blocksSignIn: false }, next: null } }))).toBe(false);
    expect(isSignInClosedForMaintenance(summary({ maintenance: { active: null, next: window } }))).toBe(false);
    expect(isSignInClosedForMaintenance(null)).toBe(false);
  });

  it('shows a posted outage message even when the portal answers', () => {
    const check = describeVendorWebsite('ok', summary({ activeIncidents: [outage] }), utc);
    expect(check.tone).toBe('warning');
    expect(check.messages[0]?.message).toBe('We found the cause and expect a fix by 4 PM.');
    expect(check.noMessages).toBeNull();
  });

  it('says the portal did not answer, and that the status could not be loaded', () => {
    const check = describeVendorWebsite('unreachable', null, utc);
    expect(check.tone).toBe('problem');
    expect(check.answering).toMatch(/did not answer/);
    expect(check.noMessages).toBe(STATUS_UNAVAILABLE);
  });

  it('falls back to the plain "see /status" when only the status is missing', () => {
    expect(describeVendorWebsite('ok', null, utc)).toMatchObject({ tone: 'ok', noMessages: STATUS_UNAVAILABLE });
    expect(STATUS_UNAVAILABLE).toBe('We could not load the current status. See the status page at /status.');
  });
});

describe('describeDowntime (step 6)', () => {
  it('has nothing to say when no maintenance is planned', () => {
    expect(describeDowntime(summary(), NOW, utc)).toBeNull();
  });

  it('gives the active window, its expected end and what it means for signing in', () => {
    const notice = describeDowntime(
      summary({ maintenance: { active: window('2026-11-27T13:00:00Z', '2026-11-27T15:30:00Z'), next: null } }),
      NOW,
      utc,
    );
    expect(notice).toEqual({
      kind: 'active',
      title: 'Database upgrade',
      description: 'Sign-in and case notes are unavailable.',
      lines: [
        'Started Nov 27, 2026, 1:00 PM UTC.',
        'Expected to end Nov 27, 2026, 3:30 PM UTC, in about 1 hour 30 minutes.',
        'You cannot sign in until it ends.',
      ],
    });
  });

  it('says when an active window overruns', () => {
    const notice = describeDowntime(
      summary({ maintenance: { active: window('2026-11-27T12:00:00Z', '2026-11-27T13:00:00Z', false), next: null } }),
      NOW,
      utc,
    );
    expect(notice?.lines.slice(1)).toEqual([
      'It was expected to end Nov 27, 2026, 1:00 PM UTC and is taking longer than planned.',
      'You can still sign in, but some parts may not work.',
    ]);
  });

  it('prefers the active window to the next, and otherwise gives the next with its length', () => {
    const active = window('2026-11-27T13:00:00Z', '2026-11-27T15:00:00Z');
    const next = { ...window('2026-12-01T02:00:00Z', '2026-12-01T04:15:00Z'), id: 'mw2', title: 'Network work' };
    expect(describeDowntime(summary({ maintenance: { active, next } }), NOW, utc)?.kind).toBe('active');
    expect(describeDowntime(summary({ maintenance: { active: null, next } }), NOW, utc)).toMatchObject({
      kind: 'next',
      title: 'Network work',
      lines: [
        'From Dec 1, 2026, 2:00 AM UTC to Dec 1, 2026, 4:15 AM UTC (2 hours 15 minutes).',
        'You will not be able to sign in during that time.',
      ],
    });
  });
});

describe('parseStatusSummary', () => {
  it('accepts a StatusSummary', () => {
    const value = summary({ activeIncidents: [outage], maintenance: { active: null, next: window('2026-12-01T02:00:00Z', '2026-12-01T04:00:00Z') } });
    expect(parseStatusSummary(JSON.parse(JSON.stringify(value)))).toEqual(value);
  });

  it('refuses anything else', () => {
    expect(parseStatusSummary(null)).toBeNull();
    expect(parseStatusSummary('<html>Not found</html>')).toBeNull();
    expect(parseStatusSummary({ error: 'NOT_FOUND' })).toBeNull();
    expect(parseStatusSummary({ ...summary(), overall: 'ON_FIRE' })).toBeNull();
    expect(parseStatusSummary({ ...summary(), components: [{ name: 'Sign-in', status: 'BROKEN' }] })).toBeNull();
    expect(parseStatusSummary({ ...summary(), maintenance: { active: { title: 'x' }, next: null } })).toBeNull();
  });
});
