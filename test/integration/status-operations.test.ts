import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { databaseKind } from '@/lib/db/kind';
import { SENT_ALREADY } from '@/lib/http/sent-once';
import { announceDueMaintenance } from '@/lib/maintenance/announce-due-maintenance';
import { runStatusAlertFanOuts } from '@/lib/status/fan-out-alert';
import { formatUtc } from '@/lib/status/severity';
import { unseal } from '@/lib/mail/seal';
import { NO_COMPONENT, type OperatorResult } from '@/lib/status/operator-input';
import { cancelMaintenance, endMaintenanceNow, extendMaintenance, extendMaintenanceSchema, startMaintenanceNow } from '@/lib/maintenance/change-maintenance';
import { getBlockingMaintenance, getStatusOverview, toStatusSummary } from '@/lib/status/get-status-overview';
import { getSignInNotice } from '@/lib/status/get-sign-in-notice';
import { openIncident, openIncidentSchema } from '@/lib/status/open-incident';
import { postIncidentUpdate } from '@/lib/status/post-incident-update';
import { scheduleMaintenance, scheduleMaintenanceSchema } from '@/lib/maintenance/schedule-maintenance';
import { setComponentStatus } from '@/lib/status/set-component-status';
import { IP, clearStatusData, confirmedSubscribers, newComponent, newOperator } from './status-support';
import { queuedBehindHeldRow, whileCompetingTransactionHolds } from '../support/competing-transaction';
import { formKeyFor } from '../support/form-key-for';

const HOUR = 3_600_000;

/** What the app does after the response: send on the alert the use case queued. */
async function sent(result: Promise<OperatorResult>): Promise<OperatorResult> {
  const outcome = await result;
  await runStatusAlertFanOuts(db());
  return outcome;
}

async function announced(now?: Date): Promise<number> {
  const count = await announceDueMaintenance(db(), now);
  await runStatusAlertFanOuts(db());
  return count;
}
const utcInput = (date: Date) => date.toISOString().slice(0, 16);

async function alertsOf(template: string) {
  return db().outboxMessage.count({ where: { template } });
}

async function auditOf(action: string, targetId?: string) {
  return db().auditEvent.findMany({ where: { action, ...(targetId ? { targetId } : {}) } });
}

async function windowAt(startOffsetMs: number, endOffsetMs: number, blocksSignIn = true, componentId?: string) {
  return db().maintenanceWindow.create({
    data: {
      title: 'Upgrade',
      startsAt: new Date(Date.now() + startOffsetMs),
      endsAt: new Date(Date.now() + endOffsetMs),
      blocksSignIn,
      ...(componentId ? { components: { create: [{ componentId }] } } : {}),
    },
  });
}

beforeEach(clearStatusData);
afterAll(clearStatusData);

describe('incidents', () => {
  it('[OPERATOR] can open an incident: first update, components, audit, one alert per subscriber', async () => {
    const operator = await newOperator();
    const signIn = await newComponent('Sign-in');
    const api = await newComponent('API');
    await confirmedSubscribers(3);
    const input = openIncidentSchema.parse({
      title: 'Sign-in failing',
      impact: 'MAJOR_OUTAGE',
      status: 'INVESTIGATING',
      message: 'Nobody can sign in.',
      [`component-${signIn.id}`]: 'on',
    });
    expect(input.componentIds).toEqual([signIn.id]);
    expect(await sent(openIncident(operator, input, IP))).toMatchObject({ ok: true, message: 'Incident "Sign-in failing" opened.' });

    const incident = await db().incident.findFirstOrThrow({ include: { components: true, updates: true } });
    expect(incident).toMatchObject({ impact: 'MAJOR_OUTAGE', resolvedAt: null, createdById: operator.vendorAccountId });
    expect(incident.components.map((c) => c.componentId)).toEqual([signIn.id]);
    expect(incident.updates).toHaveLength(1);
    expect(await alertsOf('status-incident-opened')).toBe(3);
    const [audit] = await auditOf('STATUS_INCIDENT_OPENED', incident.id);
    expect(audit).toMatchObject({ actorType: 'VENDOR', actorId: operator.vendorAccountId, ip: IP, outcome: 'SUCCESS' });

    const overview = await getStatusOverview(db());
    expect(overview.overall).toBe('MAJOR_OUTAGE');
    expect(overview.components.find((c) => c.id === signIn.id)).toMatchObject({ status: 'MAJOR_OUTAGE', baseStatus: 'OPERATIONAL' });
    expect(overview.components.find((c) => c.id === api.id)!.status).toBe('OPERATIONAL');
  });

  it('refuses an incident without components or with an unknown one', async () => {
    const operator = await newOperator();
    const base = { title: 'x', impact: 'MAJOR_OUTAGE', status: 'INVESTIGATING', message: 'y' };
    expect(openIncidentSchema.safeParse(base).error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([['components', NO_COMPONENT]]);
    // The use case's own check, for a caller past the form: none chosen, or one that is not there.
    expect((await sent(openIncident(operator, Object.assign(openIncidentSchema.parse({ ...base, 'component-nope': 'on' }), { componentIds: [] as string[] }), IP))).fieldErrors).toEqual({ components: [NO_COMPONENT] });
    expect((await sent(openIncident(operator, openIncidentSchema.parse({ ...base, 'component-nope': 'on' }), IP))).ok).toBe(false);
    expect(await db().incident.count()).toBe(0);
  });

  it('[OPERATOR] can update and then resolve an incident once; the component is operational again', async () => {
    const operator = await newOperator();
    const docs = await newComponent('Documentation');
    await confirmedSubscribers(2);
    await sent(openIncident(operator, openIncidentSchema.parse({ title: 'Slow', impact: 'PARTIAL_OUTAGE', status: 'INVESTIGATING', message: 'Slow.', [`component-${docs.id}`]: 'on' }), IP));
    const { id } = await db().incident.findFirstOrThrow();

    expect((await sent(postIncidentUpdate(operator, { incidentId: id, status: 'IDENTIFIED', message: 'Found it.' }, IP))).ok).toBe(true);
    const resolveAt = [
      sent(postIncidentUpdate(operator, { incidentId: id, status: 'RESOLVED', message: 'Fixed.' }, IP)),
      sent(postIncidentUpdate(operator, { incidentId: id, status: 'RESOLVED', message: 'Fixed too.' }, IP)),
    ];
    const results = await Promise.all(resolveAt);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    // An update refused because the incident is resolved leaves its rendering free: sent again, it is refused
    // again, never told it was done (review r39b F2).
    const late = { incidentId: id, status: 'MONITORING' as const, message: 'Watching.', formKey: formKeyFor(operator) };
    expect(await sent(postIncidentUpdate(operator, late, IP))).toMatchObject({ ok: false, message: 'That incident is already resolved or does not exist.' });
    expect(await sent(postIncidentUpdate(operator, late, IP))).toMatchObject({ ok: false, message: 'That incident is already resolved or does not exist.' });
    expect(await alertsOf('status-incident-updated')).toBe(2);
    expect(await alertsOf('status-incident-resolved')).toBe(2);
    expect(await auditOf('STATUS_INCIDENT_RESOLVED', id)).toHaveLength(1);

    const overview = await getStatusOverview(db());
    expect(overview.activeIncidents).toHaveLength(0);
    expect(overview.recentIncidents[0]).toMatchObject({ id, status: 'RESOLVED' });
    expect(overview.recentIncidents[0]!.updates.map((u) => u.status)).toEqual(['RESOLVED', 'IDENTIFIED', 'INVESTIGATING']);
    expect(overview.components[0]!.status).toBe('OPERATIONAL');
    expect(overview.components[0]!.uptime.days.at(-1)!.state).toBe('partial');
  });

  it('[OPERATOR] whose "Resolved" update is sent again (a browser that sent both clicks) is told it was done, and it was done once (review r51f F1)', async () => {
    const operator = await newOperator();
    const docs = await newComponent('Documentation');
    await sent(openIncident(operator, openIncidentSchema.parse({ title: 'Slow', impact: 'PARTIAL_OUTAGE', status: 'INVESTIGATING', message: 'Slow.', [`component-${docs.id}`]: 'on' }), IP));
    const { id } = await db().incident.findFirstOrThrow();
    const resolving = { incidentId: id, status: 'RESOLVED' as const, message: 'Fixed.', formKey: formKeyFor(operator) };
    expect((await sent(postIncidentUpdate(operator, resolving, IP))).ok).toBe(true);
    expect(await sent(postIncidentUpdate(operator, resolving, IP))).toEqual(SENT_ALREADY);
    expect(await auditOf('STATUS_INCIDENT_RESOLVED', id)).toHaveLength(1);
  });

  it('[OPERATOR] can set a component’s own state, audited with before and after', async () => {
    const operator = await newOperator();
    const app = await newComponent('Mobile app');
    expect(await setComponentStatus(operator, { componentId: app.id, status: 'DEGRADED_PERFORMANCE' }, IP)).toEqual({ ok: true, message: 'Mobile app: Degraded performance.' });
    const [audit] = await auditOf('STATUS_COMPONENT_CHANGED', app.id);
    expect(JSON.parse(audit!.details!)).toEqual({ from: 'OPERATIONAL', to: 'DEGRADED_PERFORMANCE' });
    expect((await getStatusOverview(db())).overall).toBe('DEGRADED_PERFORMANCE');
  });
});

describe('a form sent twice (r26c N1)', () => {
  it('[OPERATOR] opens one incident, posts one update and schedules one window, with one alert each, whether the copies come one after the other or at once', async () => {
    const operator = await newOperator();
    const signIn = await newComponent('Sign-in');
    await confirmedSubscribers(2);
    const twice = async (send: () => Promise<OperatorResult>) => {
      const [first, second] = await Promise.all([sent(send()), sent(send())]);
      const third = await sent(send());
      return [first, second, third];
    };

    const opening = openIncidentSchema.parse({ title: 'Down', impact: 'MAJOR_OUTAGE', status: 'INVESTIGATING', message: 'Down.', [`component-${signIn.id}`]: 'on', formKey: formKeyFor(operator) });
    const opened = await twice(() => openIncident(operator, opening, IP));
    expect(opened.every((answer) => answer.ok)).toBe(true);
    expect(opened.map((answer) => answer.message)).toContain(SENT_ALREADY.message);
    expect(await db().incident.count()).toBe(1);
    expect(await alertsOf('status-incident-opened')).toBe(2);
    const { id } = await db().incident.findFirstOrThrow();
    expect(await auditOf('STATUS_INCIDENT_OPENED', id)).toHaveLength(1);

    const update = { incidentId: id, status: 'IDENTIFIED' as const, message: 'Found it.', formKey: formKeyFor(operator) };
    expect((await twice(() => postIncidentUpdate(operator, update, IP))).every((answer) => answer.ok)).toBe(true);
    expect(await db().incidentUpdate.count({ where: { incidentId: id } })).toBe(2);
    expect(await alertsOf('status-incident-updated')).toBe(2);
    // Another rendering of the form is another update.
    expect((await sent(postIncidentUpdate(operator, { ...update, message: 'Fixing it.', formKey: formKeyFor(operator) }, IP))).message).toBe('Update posted.');
    expect(await db().incidentUpdate.count({ where: { incidentId: id } })).toBe(3);
    // The first rendering's key naming another incident is an update of that one, not "done already" (review r50a F1).
    const other = await db().incident.create({ data: { title: 'Slow', impact: 'DEGRADED_PERFORMANCE', updates: { create: [{ status: 'INVESTIGATING', message: 'Slow.' }] } } });
    expect((await sent(postIncidentUpdate(operator, { ...update, incidentId: other.id }, IP))).message).toBe('Update posted.');
    expect(await db().incidentUpdate.count({ where: { incidentId: other.id } })).toBe(2);
    await db().incident.update({ where: { id: other.id }, data: { resolvedAt: new Date(), status: 'RESOLVED' } });

    const startsAt = new Date(Math.ceil((Date.now() + 24 * HOUR) / 60_000) * 60_000);
    const form = { title: 'Upgrade', startsAt: utcInput(startsAt), endsAt: utcInput(new Date(startsAt.getTime() + HOUR)), [`component-${signIn.id}`]: 'on', formKey: formKeyFor(operator) };
    const scheduling = scheduleMaintenanceSchema.parse(form);
    expect((await twice(() => scheduleMaintenance(operator, scheduling, IP))).every((answer) => answer.ok)).toBe(true);
    expect(await db().maintenanceWindow.count()).toBe(1);
    expect(await alertsOf('status-maintenance-scheduled')).toBe(2);
  });

  it('a refused form keeps its key: sent again corrected, it does its work', async () => {
    const operator = await newOperator();
    const signIn = await newComponent('Sign-in');
    const formKey = formKeyFor(operator);
    const base = { title: 'Down', impact: 'MAJOR_OUTAGE', status: 'INVESTIGATING', message: 'Down.', formKey };
    expect((await openIncident(operator, openIncidentSchema.parse({ ...base, 'component-nope': 'on' }), IP)).ok).toBe(false);
    expect(await openIncident(operator, openIncidentSchema.parse({ ...base, [`component-${signIn.id}`]: 'on' }), IP)).toMatchObject({ ok: true, message: 'Incident "Down" opened.' });
    expect(openIncidentSchema.safeParse({ ...base, formKey: 'short' }).success).toBe(false);
  });
});

describe('maintenance', () => {
  it('[OPERATOR] can schedule a window: validated, audited, announced, shown as next', async () => {
    const operator = await newOperator();
    const signIn = await newComponent('Sign-in');
    await confirmedSubscribers(2);
    const startsAt = new Date(Math.ceil((Date.now() + 24 * HOUR) / 60_000) * 60_000);
    const endsAt = new Date(startsAt.getTime() + 2 * HOUR);
    const form = { title: 'Database upgrade', startsAt: utcInput(startsAt), endsAt: utcInput(endsAt), blocksSignIn: 'on', [`component-${signIn.id}`]: 'on' };

    const backwards = scheduleMaintenanceSchema.parse({ ...form, endsAt: utcInput(startsAt) });
    expect((await sent(scheduleMaintenance(operator, backwards, IP))).fieldErrors).toHaveProperty('endsAt');
    const past = scheduleMaintenanceSchema.parse({ ...form, startsAt: utcInput(new Date(Date.now() - HOUR)) });
    expect((await sent(scheduleMaintenance(operator, past, IP))).fieldErrors).toHaveProperty('startsAt');
    expect(scheduleMaintenanceSchema.safeParse({ ...form, startsAt: 'tomorrow' }).success).toBe(false);
    // A mistyped year in the end: a window that would close sign-in for longer than a week (review r33c I2).
    const tooLong = scheduleMaintenanceSchema.parse({ ...form, endsAt: utcInput(new Date(startsAt.getTime() + 7 * 24 * HOUR + 60_000)) });
    expect((await sent(scheduleMaintenance(operator, tooLong, IP))).fieldErrors).toEqual({ endsAt: ['A window lasts a week at most: plan longer work as several windows'] });
    expect(await db().maintenanceWindow.count()).toBe(0);

    expect((await sent(scheduleMaintenance(operator, scheduleMaintenanceSchema.parse(form), IP))).ok).toBe(true);
    const window = await db().maintenanceWindow.findFirstOrThrow();
    expect(window).toMatchObject({ startsAt, endsAt, blocksSignIn: true, startedAt: null });
    expect(await alertsOf('status-maintenance-scheduled')).toBe(2);
    expect(await auditOf('STATUS_MAINTENANCE_SCHEDULED', window.id)).toHaveLength(1);
    expect(toStatusSummary(await getStatusOverview(db())).maintenance).toEqual({
      active: null,
      next: { id: window.id, title: 'Database upgrade', description: null, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), blocksSignIn: true },
    });
    expect(await getBlockingMaintenance(db())).toBeNull();
  });

  it('[OPERATOR] cannot schedule a window that is already over, nor one starting more than a year ahead (a year mistyped in both fields); nothing is announced (review r41f F1, F2)', async () => {
    const operator = await newOperator();
    const signIn = await newComponent('Sign-in');
    await confirmedSubscribers(1);
    const form = (startsAt: Date, endsAt: Date) =>
      scheduleMaintenanceSchema.parse({ title: 'Upgrade', startsAt: utcInput(startsAt), endsAt: utcInput(endsAt), blocksSignIn: 'on', [`component-${signIn.id}`]: 'on' });
    // Minutes back, well inside the five a start may lie in the past (the form keeps whole minutes; a busy machine takes its time).
    const over = await sent(scheduleMaintenance(operator, form(new Date(Date.now() - 2 * 60_000), new Date(Date.now() - 60_000)), IP));
    expect(over.fieldErrors).toEqual({ endsAt: ['The end must be in the future'] });
    const tenYears = new Date(Date.now() + 10 * 365 * 24 * HOUR);
    const farAhead = await sent(scheduleMaintenance(operator, form(tenYears, new Date(tenYears.getTime() + 2 * HOUR)), IP));
    expect(farAhead.fieldErrors).toEqual({ startsAt: ['The start must be within a year from now: check the year'] });
    expect(await db().maintenanceWindow.count()).toBe(0);
    expect(await alertsOf('status-maintenance-scheduled')).toBe(0);
    // A start a minute ago is still "now".
    expect((await sent(scheduleMaintenance(operator, form(new Date(Date.now() - 60_000), new Date(Date.now() + HOUR)), IP))).ok).toBe(true);
  });

  it('[OPERATOR] “Start now” keeps a window to a week, counted from now: a window planned far ahead is refused, unchanged and unannounced (review r41f F1)', async () => {
    const operator = await newOperator();
    const signIn = await newComponent('Sign-in');
    await confirmedSubscribers(1);
    const farAhead = await windowAt(10 * 24 * HOUR, 10 * 24 * HOUR + 2 * HOUR, true, signIn.id);
    const refused = await sent(startMaintenanceNow(operator, { windowId: farAhead.id }, IP));
    expect(refused).toEqual({ ok: false, message: 'Started now, this window would last more than a week, which no window may: cancel it and schedule it again with the right times.' });
    expect(await db().maintenanceWindow.findUniqueOrThrow({ where: { id: farAhead.id } })).toMatchObject({ startsAt: farAhead.startsAt, startedAt: null });
    expect(await getBlockingMaintenance(db())).toBeNull();
    expect(await alertsOf('status-maintenance-started')).toBe(0);
    expect(await auditOf('STATUS_MAINTENANCE_STARTED', farAhead.id)).toHaveLength(0);
    // Within a week of now it starts, and its record says what it was planned as.
    const withinAWeek = await windowAt(5 * 24 * HOUR, 6 * 24 * HOUR, true, signIn.id);
    expect((await sent(startMaintenanceNow(operator, { windowId: withinAWeek.id }, IP))).ok).toBe(true);
    const [record] = await auditOf('STATUS_MAINTENANCE_STARTED', withinAWeek.id);
    expect(JSON.parse(record!.details!)).toEqual({ early: true, plannedStart: withinAWeek.startsAt.toISOString(), plannedEnd: withinAWeek.endsAt.toISOString() });
  });

  it('[OPERATOR] extending a window that ended or was cancelled, from a stale tab, is told so whatever end it gives (review r41f I1)', async () => {
    const operator = await newOperator();
    const ended = await windowAt(-2 * HOUR, HOUR);
    await db().maintenanceWindow.update({ where: { id: ended.id }, data: { endedAt: new Date() } });
    const cancelled = await windowAt(HOUR, 2 * HOUR);
    await db().maintenanceWindow.update({ where: { id: cancelled.id }, data: { cancelledAt: new Date() } });
    for (const window of [ended, cancelled]) {
      for (const endsAt of [new Date(window.endsAt.getTime() - 30 * 60_000), new Date(window.endsAt.getTime() + HOUR)]) {
        expect(await extendMaintenance(operator, { windowId: window.id, endsAt }, IP)).toMatchObject({ ok: false, gone: true });
      }
    }
  });

  it('refuses a time past the year 9999 in UTC, which SQLite would order before today: such a window was announced as started at once', async () => {
    const operator = await newOperator();
    const signIn = await newComponent('Sign-in');
    // 9999-12-31 20:00 in New York is already the year 10000 in UTC.
    const form = { title: 'Far away', startsAt: '9999-12-31T20:00', endsAt: '9999-12-31T23:00', timeZone: 'America/New_York', blocksSignIn: 'on', [`component-${signIn.id}`]: 'on' };
    const parsed = scheduleMaintenanceSchema.safeParse(form);
    if (parsed.success) await sent(scheduleMaintenance(operator, parsed.data, IP));
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['startsAt', 'endsAt']);
    expect(await db().maintenanceWindow.count()).toBe(0);
    expect(await getBlockingMaintenance(db())).toBeNull();
    const window = await windowAt(HOUR, 2 * HOUR, true, signIn.id);
    const extended = extendMaintenanceSchema.safeParse({ windowId: window.id, endsAt: '9999-12-31T23:00', timeZone: 'Pacific/Pago_Pago' });
    expect(extended.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['endsAt']);
  });

  it('[OPERATOR] can start early, extend and end a window; each step blocks or frees sign-in as it should', async () => {
    const operator = await newOperator();
    const signIn = await newComponent('Sign-in');
    await confirmedSubscribers(1);
    const window = await windowAt(HOUR, 2 * HOUR, true, signIn.id);

    expect((await sent(endMaintenanceNow(operator, { windowId: window.id }, IP))).ok).toBe(false);
    expect((await sent(startMaintenanceNow(operator, { windowId: window.id }, IP))).ok).toBe(true);
    // Sent again by the same operator just now (a browser that sent both clicks): told it was done, and done
    // once; by another operator, refused as moved on (review r51f F1).
    expect(await sent(startMaintenanceNow(operator, { windowId: window.id }, IP))).toEqual(SENT_ALREADY);
    expect(await sent(startMaintenanceNow(await newOperator(), { windowId: window.id }, IP))).toMatchObject({ ok: false, gone: true });
    expect(await getBlockingMaintenance(db())).toMatchObject({ id: window.id });
    const overview = await getStatusOverview(db());
    expect(overview.components[0]!.status).toBe('UNDER_MAINTENANCE');
    expect(toStatusSummary(overview).maintenance.active).toMatchObject({ id: window.id, blocksSignIn: true });

    const later = new Date(window.endsAt.getTime() + HOUR);
    expect((await extendMaintenance(operator, { windowId: window.id, endsAt: new Date(window.endsAt.getTime() - 60_000) }, IP)).fieldErrors).toHaveProperty('endsAt');
    const pastAWeek = new Date(window.startsAt.getTime() + 7 * 24 * HOUR + 60_000);
    expect((await extendMaintenance(operator, { windowId: window.id, endsAt: pastAWeek }, IP)).fieldErrors).toEqual({ endsAt: ['A window lasts a week at most: plan longer work as another window'] });
    expect((await sent(extendMaintenance(operator, { windowId: window.id, endsAt: later }, IP))).ok).toBe(true);
    expect((await getBlockingMaintenance(db()))!.endsAt).toEqual(later);
    // The same extension sent again by its operator is done; by another, the end it gives is no longer later.
    expect(await sent(extendMaintenance(operator, { windowId: window.id, endsAt: later }, IP))).toEqual(SENT_ALREADY);
    expect((await extendMaintenance(await newOperator(), { windowId: window.id, endsAt: later }, IP)).fieldErrors).toHaveProperty('endsAt');

    expect((await sent(endMaintenanceNow(operator, { windowId: window.id }, IP))).ok).toBe(true);
    expect(await sent(endMaintenanceNow(operator, { windowId: window.id }, IP))).toEqual(SENT_ALREADY);
    expect(await getBlockingMaintenance(db())).toBeNull();
    expect((await extendMaintenance(operator, { windowId: window.id, endsAt: new Date(later.getTime() + HOUR) }, IP)).ok).toBe(false);

    expect(await alertsOf('status-maintenance-started')).toBe(1);
    // Subscribers hear of the new end, once: the refused extensions above told no one.
    const [extension] = await db().outboxMessage.findMany({ where: { template: 'status-maintenance-extended' } });
    expect(await alertsOf('status-maintenance-extended')).toBe(1);
    expect(extension!.subject).toBe('[CareNotes status] Maintenance extended: Upgrade');
    expect(unseal(extension!.textBody)).toContain(`to ${formatUtc(later)}`);
    expect(await alertsOf('status-maintenance-ended')).toBe(1);
    for (const action of ['STATUS_MAINTENANCE_STARTED', 'STATUS_MAINTENANCE_EXTENDED', 'STATUS_MAINTENANCE_ENDED']) {
      expect(await auditOf(action, window.id), action).toHaveLength(1);
    }
    // Ended by hand: the clock does not announce it again.
    expect(await announced(new Date(later.getTime() + 1000))).toBe(0);
  });

  it('[OPERATOR] can cancel an upcoming window, never one in progress', async () => {
    const operator = await newOperator();
    await confirmedSubscribers(2);
    const upcoming = await windowAt(HOUR, 2 * HOUR);
    const running = await windowAt(-HOUR, HOUR);
    expect((await sent(cancelMaintenance(operator, { windowId: running.id }, IP))).ok).toBe(false);
    expect((await sent(cancelMaintenance(operator, { windowId: upcoming.id }, IP))).ok).toBe(true);
    expect(await sent(cancelMaintenance(operator, { windowId: upcoming.id }, IP))).toEqual(SENT_ALREADY);
    expect(await sent(cancelMaintenance(await newOperator(), { windowId: upcoming.id }, IP))).toMatchObject({ ok: false, gone: true });
    expect((await getStatusOverview(db())).maintenance.upcoming).toHaveLength(0);
    // Those told it would happen hear that it will not, once each.
    expect(await alertsOf('status-maintenance-cancelled')).toBe(2);
    const [cancelled] = await db().outboxMessage.findMany({ where: { template: 'status-maintenance-cancelled' } });
    expect(unseal(cancelled!.textBody)).toContain('will not take place');
  });

  it('a window that blocks sign-in puts the Sign-in component under maintenance, even when not listed', async () => {
    const signIn = await newComponent('Sign-in', 'sign-in');
    const docs = await newComponent('Documentation');
    await windowAt(-HOUR, HOUR, true, docs.id);
    const overview = await getStatusOverview(db());
    expect(overview.components.map((c) => [c.name, c.status])).toEqual([
      ['Documentation', 'UNDER_MAINTENANCE'],
      ['Sign-in', 'UNDER_MAINTENANCE'],
    ]);
    expect(overview.components.find((c) => c.id === signIn.id)!.uptime.days.at(-1)!.state).toBe('maintenance');
  });

  it('only a window in progress, blocking sign-in, not cancelled and not ended blocks sign-in', async () => {
    await windowAt(-HOUR, HOUR, false);
    await windowAt(HOUR, 2 * HOUR);
    await windowAt(-2 * HOUR, -HOUR);
    const cancelled = await windowAt(-HOUR, HOUR);
    await db().maintenanceWindow.update({ where: { id: cancelled.id }, data: { cancelledAt: new Date() } });
    expect(await getBlockingMaintenance(db())).toBeNull();
    const blocking = await windowAt(-HOUR, HOUR);
    expect(await getBlockingMaintenance(db())).toMatchObject({ id: blocking.id });
  });

  it('announces a window that starts and ends by the clock exactly once, however many instances ask', async () => {
    await confirmedSubscribers(2);
    const window = await windowAt(-1000, HOUR);
    const counts = await Promise.all([announced(), announced(), announced()]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await alertsOf('status-maintenance-started')).toBe(2);
    expect(await announced()).toBe(0);

    const afterEnd = new Date(window.endsAt.getTime() + 1000);
    expect(await announced(afterEnd)).toBe(1);
    expect(await announced(afterEnd)).toBe(0);
    expect(await alertsOf('status-maintenance-ended')).toBe(2);
    expect(await db().maintenanceWindow.findUniqueOrThrow({ where: { id: window.id } })).toMatchObject({ endedAt: window.endsAt });
    expect(await auditOf('STATUS_MAINTENANCE_STARTED', window.id)).toMatchObject([{ actorType: 'SYSTEM' }]);
  });
});

describe('an operator disabled or signed out while a change was on its way', () => {
  it('[OPERATOR] every change lands on nothing, queues no alert, and each try is audited', async () => {
    const component = await newComponent('Reports');
    const upcoming = await windowAt(HOUR, 2 * HOUR);
    const running = await windowAt(-HOUR, HOUR);
    const incident = await db().incident.create({ data: { title: 'Slow', impact: 'DEGRADED_PERFORMANCE', status: 'INVESTIGATING' } });
    const operator = await newOperator();
    const before = JSON.stringify(await Promise.all([db().statusComponent.findMany(), db().incident.findMany(), db().maintenanceWindow.findMany(), db().statusAlertFanOut.count()]));
    const changes: [string, () => Promise<OperatorResult>][] = [
      ['STATUS_COMPONENT_CHANGED', () => setComponentStatus(operator, { componentId: component.id, status: 'MAJOR_OUTAGE' }, IP)],
      ['STATUS_INCIDENT_OPENED', () => openIncident(operator, openIncidentSchema.parse({ title: 'Down', impact: 'MAJOR_OUTAGE', status: 'INVESTIGATING', message: 'Looking', [`component-${component.id}`]: 'on' }), IP)],
      ['STATUS_INCIDENT_RESOLVED', () => postIncidentUpdate(operator, { incidentId: incident.id, status: 'RESOLVED', message: 'Fixed' }, IP)],
      [
        'STATUS_MAINTENANCE_SCHEDULED',
        () => scheduleMaintenance(operator, scheduleMaintenanceSchema.parse({ title: 'Later', startsAt: utcInput(new Date(Date.now() + 5 * HOUR)), endsAt: utcInput(new Date(Date.now() + 6 * HOUR)), [`component-${component.id}`]: 'on' }), IP),
      ],
      ['STATUS_MAINTENANCE_EXTENDED', () => extendMaintenance(operator, extendMaintenanceSchema.parse({ windowId: running.id, endsAt: utcInput(new Date(Date.now() + 3 * HOUR)) }), IP)],
      ['STATUS_MAINTENANCE_STARTED', () => startMaintenanceNow(operator, { windowId: upcoming.id }, IP)],
      ['STATUS_MAINTENANCE_ENDED', () => endMaintenanceNow(operator, { windowId: running.id }, IP)],
      ['STATUS_MAINTENANCE_CANCELLED', () => cancelMaintenance(operator, { windowId: upcoming.id }, IP)],
    ];
    await db().authSession.update({ where: { id: operator.sessionId }, data: { endedAt: new Date() } });
    for (const [, change] of changes) expect(await change()).toEqual({ ok: false, message: expect.stringMatching(/Your own account changed/) });
    expect(JSON.stringify(await Promise.all([db().statusComponent.findMany(), db().incident.findMany(), db().maintenanceWindow.findMany(), db().statusAlertFanOut.count()]))).toBe(before);
    const denied = await db().auditEvent.findMany({ where: { actorId: operator.vendorAccountId }, orderBy: { seq: 'asc' } });
    expect(denied.map((event) => [event.action, event.outcome, JSON.parse(event.details!).refused])).toEqual(changes.map(([action]) => [action, 'DENIED', 'actor-changed']));
  });
});

describe('the sign-in page notice', () => {
  it('names an open incident touching sign-in, and a blocking window only from 72 hours before', async () => {
    const signIn = await newComponent('Sign-in', 'sign-in');
    const other = await newComponent('API');
    const operator = await newOperator();
    expect(await getSignInNotice(db())).toEqual({ incident: null, maintenance: null });

    await sent(openIncident(operator, openIncidentSchema.parse({ title: 'API down', impact: 'MAJOR_OUTAGE', status: 'INVESTIGATING', message: 'x', [`component-${other.id}`]: 'on' }), IP));
    await windowAt(73 * HOUR, 74 * HOUR, true, signIn.id);
    await windowAt(HOUR, 2 * HOUR, false, signIn.id);
    expect(await getSignInNotice(db())).toEqual({ incident: null, maintenance: null });

    await sent(openIncident(operator, openIncidentSchema.parse({ title: 'Sign-in slow', impact: 'DEGRADED_PERFORMANCE', status: 'INVESTIGATING', message: 'Slow.', [`component-${signIn.id}`]: 'on' }), IP));
    const soon = await windowAt(71 * HOUR, 72 * HOUR, true, signIn.id);
    expect(await getSignInNotice(db())).toEqual({
      incident: { title: 'Sign-in slow', impact: 'DEGRADED_PERFORMANCE', message: 'Slow.' },
      maintenance: { title: 'Upgrade', startsAt: soon.startsAt.toISOString(), endsAt: soon.endsAt.toISOString() },
    });
  });
});

describe('GET /api/status', () => {
  it('[ANONYMOUS] polling it changes nothing: a window due by the clock is announced by the periodic round alone', async () => {
    const signIn = await newComponent('Sign-in');
    await confirmedSubscribers(2);
    const due = await windowAt(-60_000, HOUR, true, signIn.id);
    const { GET } = await import('@/app/api/status/route');
    const { runStatusRound } = await import('@/lib/maintenance/maintenance-announcer');

    const body = await (await GET(new Request('http://localhost/api/status'))).json();
    // The summary still shows the window as running: state is worked out by the clock on read.
    expect(body.maintenance.active).toMatchObject({ id: due.id });
    expect(await db().maintenanceWindow.findUniqueOrThrow({ where: { id: due.id } })).toMatchObject({ startedAt: null, endedAt: null });
    expect(await auditOf('STATUS_MAINTENANCE_STARTED', due.id)).toHaveLength(0);
    expect(await db().statusAlertFanOut.count()).toBe(0);

    expect(await runStatusRound(db())).toMatchObject({ announced: 1, alertsQueued: 2 });
    expect((await db().maintenanceWindow.findUniqueOrThrow({ where: { id: due.id } })).startedAt).toEqual(expect.any(Date));
    expect(await alertsOf('status-maintenance-started')).toBe(2);
    expect(await runStatusRound(db())).toMatchObject({ announced: 0, alertsQueued: 0 });
  });

  it('answers exactly the StatusSummary shape, with no-store', async () => {
    await newComponent('Sign-in');
    const { GET } = await import('@/app/api/status/route');
    const response = await GET(new Request('http://localhost/api/status'));
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await response.json();
    expect(Object.keys(body).sort()).toEqual(['activeIncidents', 'components', 'generatedAt', 'maintenance', 'overall']);
    expect(Object.keys(body.components[0]).sort()).toEqual(['name', 'slug', 'status']);
    expect(Object.keys(body.maintenance).sort()).toEqual(['active', 'next']);
  });
});

describe.skipIf(databaseKind(process.env.DATABASE_URL!) !== 'postgresql')('an extension while another operator starts the window now (PostgreSQL)', () => {
  it('[OPERATOR] the extension, measured from the start it read, lands on nothing once the start moved: no window past a week (review r41h F1)', async () => {
    const operator = await newOperator();
    const window = await windowAt(3 * 24 * HOUR, 4 * 24 * HOUR);
    // Within a week of its planned start, past a week of now.
    const endsAt = new Date(window.startsAt.getTime() + 6 * 24 * HOUR);
    const startNow = {
      holds: { sql: 'SELECT "id" FROM "MaintenanceWindow" WHERE "id" = $1 FOR UPDATE', params: [window.id] },
      then: { sql: 'UPDATE "MaintenanceWindow" SET "startsAt" = now(), "startedAt" = now() WHERE "id" = $1', params: [window.id] },
    };
    const extended = await whileCompetingTransactionHolds(startNow, () => extendMaintenance(operator, { windowId: window.id, endsAt }, IP));
    expect(extended).toEqual({ ok: false, message: 'Someone changed this window a moment ago. Reload the page, check its times, and extend again if needed.' });
    expect((await db().maintenanceWindow.findUniqueOrThrow({ where: { id: window.id } })).endsAt).toEqual(window.endsAt);
  });
});

describe.skipIf(databaseKind(process.env.DATABASE_URL!) !== 'postgresql')('two operators at once (PostgreSQL)', () => {
  it('[OPERATOR] two set one component: each record says the state the change found (review r38a F2)', async () => {
    const api = await newComponent('API');
    const [otto, olga] = [await newOperator(), await newOperator()];
    const [first, second] = await queuedBehindHeldRow({ sql: 'SELECT "id" FROM "StatusComponent" WHERE "id" = $1 FOR UPDATE', params: [api.id] }, [
      () => setComponentStatus(otto, { componentId: api.id, status: 'MAJOR_OUTAGE' }, IP),
      () => setComponentStatus(olga, { componentId: api.id, status: 'DEGRADED_PERFORMANCE' }, IP),
    ]);
    expect([first, second]).toMatchObject([{ ok: true }, { ok: true }]);
    const records = await db().auditEvent.findMany({ where: { action: 'STATUS_COMPONENT_CHANGED', targetId: api.id }, orderBy: { seq: 'asc' } });
    expect(records.map((record) => JSON.parse(record.details!))).toEqual([
      { from: 'OPERATIONAL', to: 'MAJOR_OUTAGE' },
      { from: 'MAJOR_OUTAGE', to: 'DEGRADED_PERFORMANCE' },
    ]);
  });

  it('[OPERATOR] a component set while another operator opens an incident on it: both go through, no deadlock (review r38d F1)', async () => {
    const api = await newComponent('API');
    const otto = await newOperator();
    const other = await newComponent('Other');
    const opened = openIncidentSchema.parse({ title: 'Elsewhere', impact: 'DEGRADED_PERFORMANCE', status: 'INVESTIGATING', message: 'Looking.', formKey: formKeyFor(otto), [`component-${other.id}`]: 'on' });
    await sent(openIncident(otto, opened, IP));
    const { id: incidentId } = await db().incident.findFirstOrThrow({ where: { title: 'Elsewhere' } });
    // Another operator's incident in flight: it holds the status version (every status write does) and then
    // names the component, whose foreign-key check waits for nothing but a lock stronger than an update's.
    const openingOnApi = {
      holds: { sql: 'UPDATE "StatusVersion" SET "version" = "version" + 1 WHERE "id" = 1', params: [] },
      then: { sql: 'INSERT INTO "IncidentComponent" ("incidentId", "componentId") VALUES ($1, $2)', params: [incidentId, api.id] },
    };
    const set = await whileCompetingTransactionHolds(openingOnApi, () => setComponentStatus(otto, { componentId: api.id, status: 'MAJOR_OUTAGE' }, IP));
    expect(set).toMatchObject({ ok: true });
    expect(await db().incidentComponent.count({ where: { incidentId, componentId: api.id } })).toBe(1);
  });

  it('[OPERATOR] an update that waited while another was posted comes after it in the timeline, as in the incident’s state (review r38a F3)', async () => {
    const api = await newComponent('API');
    const [otto, olga] = [await newOperator(), await newOperator()];
    const opened = openIncidentSchema.parse({ title: 'API slow', impact: 'DEGRADED_PERFORMANCE', status: 'INVESTIGATING', message: 'Looking into it.', formKey: formKeyFor(otto), [`component-${api.id}`]: 'on' });
    await sent(openIncident(otto, opened, IP));
    const { id: incidentId } = await db().incident.findFirstOrThrow({ where: { title: 'API slow' } });
    // Otto's update waits (its session check, for one) while Olga's is posted: his lands last.
    const ottoWaits = { sql: 'SELECT "id" FROM "VendorAccount" WHERE "id" = $1 FOR UPDATE', params: [otto.vendorAccountId] };
    const olgasUpdate = () => postIncidentUpdate(olga, { incidentId, status: 'IDENTIFIED', message: 'A bad deploy.', formKey: formKeyFor(olga) }, IP);
    const ottos = await whileCompetingTransactionHolds({ holds: ottoWaits, then: { meanwhile: olgasUpdate } }, () =>
      postIncidentUpdate(otto, { incidentId, status: 'MONITORING', message: 'Rolled back; watching.', formKey: formKeyFor(otto) }, IP),
    );
    expect(ottos).toMatchObject({ ok: true });
    const incident = await db().incident.findUniqueOrThrow({ where: { id: incidentId }, include: { updates: { orderBy: { createdAt: 'desc' } } } });
    expect(incident.updates.map((update) => update.status)).toEqual(['MONITORING', 'IDENTIFIED', 'INVESTIGATING']);
    expect(incident.status).toBe('MONITORING');
  });
});
