import { z } from 'zod';
import { DEFAULT_TIME_ZONE, isCalendarWallTime, isSupportedTimeZone, zonedWallTimeToUtc } from '@/lib/format/date';
import type { ActionState } from '@/lib/auth/guards';
import { ACTOR_CHANGED_MESSAGE, holdActor, type VendorActor } from '@/lib/auth/session';
import { recordAuditAlone, type AuditInput } from '@/lib/audit/record';
import { db, type Db, type Tx } from '@/lib/db/client';
import { Refused } from '@/lib/result';
import { hasHiddenCharacters, hasStackedMarks, refuseAddresses, STACKED_MARKS_MESSAGE, webAddressIn } from '@/lib/validation/free-text';

// Shared by the operator's use cases in this folder: form parsing and audit fields.

// Operator text reaches the status page, mail subjects and bodies, and the Atom feed: titles are one
// line, long texts keep their line breaks and tabs (a textarea sends CRLF: stored as LF); neither holds
// a character that shows nothing or other than it holds (hasHiddenCharacters).

// Alerts are mailed in CareNotes' name: they link to the portal's own pages only (lib/validation/free-text.ts).
const noWebAddress = (label: string) =>
  refuseAddresses(
    webAddressIn,
    (address) => `${label} must not contain a web or e-mail address, and ${address} reads as one: status alerts link only to CareNotes’ own pages`,
  );

function hiddenCharacterMessage(label: string): string {
  return `${label} contains a control or hidden character. Type it in rather than pasting it`;
}

export const titleSchema = z
  .string()
  .trim()
  .min(1, 'Enter a title')
  // Stops here when too long: the checks after it read the whole text (a long one took seconds).
  .max(200, { error: 'Title must be 200 characters or fewer', abort: true })
  .refine((value) => !hasHiddenCharacters(value, 'name'), hiddenCharacterMessage('Title'))
  .refine((value) => !hasStackedMarks(value), `Title ${STACKED_MARKS_MESSAGE}`)
  .superRefine(noWebAddress('Title'));

/** A multi-line text an operator writes for the status page (an update, a maintenance note). */
export function operatorTextSchema(label: string, max: number) {
  return z
    .string()
    .transform((value) => value.replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().max(max, { error: `${label} must be ${max} characters or fewer`, abort: true }))
    .refine((value) => !hasHiddenCharacters(value, 'paragraphs'), hiddenCharacterMessage(label))
    .refine((value) => !hasStackedMarks(value), `${label} ${STACKED_MARKS_MESSAGE}`)
    .superRefine(noWebAddress(label));
}

export const messageSchema = operatorTextSchema('Message', 5000).refine((value) => value.length > 0, 'Enter a message for the status page');
export const idSchema = z.string().min(1).max(64);

/** A `datetime-local` value as typed, e.g. "2026-12-01T02:00"; withUtcTimes reads it in the form's zone. */
export function wallTimeSchema(label: string) {
  return z
    .string({ error: `Enter the ${label} date and time` })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, `Enter the ${label} as a date and time, like 2026-12-01T02:00`)
    .transform((value) => value.slice(0, 16))
    .refine(isCalendarWallTime, `The ${label} is not a real date and time: the month runs 01–12, the time 00:00–23:59`);
}

/** The zone the operator typed the times in (a select on the form); UTC when the form sends none. */
export const timeZoneSchema = z
  .string()
  .default(DEFAULT_TIME_ZONE)
  .refine((zone) => isSupportedTimeZone(zone), 'Choose a time zone from the list');

/**
 * Turns the named wall-clock fields into UTC instants in the form's `timeZone`. A time the zone
 * skips (spring forward) or has twice (fall back) is refused on its field: which moment was meant
 * is the operator's to say, not ours to guess.
 */
export function withUtcTimes<K extends string>(labels: Record<K, string>) {
  return <T extends Record<K, string> & { timeZone: string }>(values: T, context: z.RefinementCtx) => {
    const times = {} as Record<K, Date>;
    for (const field of Object.keys(labels) as K[]) {
      const instant = zonedWallTimeToUtc(values[field], values.timeZone);
      if (!instant)
        context.addIssue({
          code: 'custom',
          path: [field],
          message: `The ${labels[field]} does not exist in ${values.timeZone}, or happens twice there (a clock change): choose another time or zone`,
        });
      // Past 9999 in UTC an instant's text has a five-digit year, which SQLite orders before every other date.
      else if (instant.getUTCFullYear() > 9999) context.addIssue({ code: 'custom', path: [field], message: `The ${labels[field]} is too far ahead: choose an earlier date` });
      else times[field] = instant;
    }
    // The zone has done its work: the use cases see instants only.
    const rest: Partial<T> = { ...values };
    delete rest.timeZone;
    return { ...rest, ...times } as unknown as { [P in keyof T as P extends 'timeZone' ? never : P]: P extends K ? Date : T[P] };
  };
}

const COMPONENT_FIELD = 'component-';

/** What a form with components to choose says when none is ticked. */
export const NO_COMPONENT = 'Choose at least one affected component';

/**
 * Checkboxes arrive as `component-<id>=on` fields (a FormData with repeated names would lose all
 * but the last through Object.fromEntries); this collects them into `componentIds`.
 */
export function withComponentIds<S extends z.ZodRawShape>(shape: S) {
  return z
    .object(shape)
    .catchall(z.string())
    .superRefine((values, context) => {
      // Own fields only: `in` took a field named `toString` for one of the shape's.
      const unknown = Object.keys(values).filter((key) => !Object.hasOwn(shape, key) && !key.startsWith(COMPONENT_FIELD));
      if (unknown.length > 0) context.addIssue({ code: 'unrecognized_keys', keys: unknown, input: values });
    })
    // Said with the other fields' errors, not only once they are right (review r51f F2): run whatever else failed.
    .refine((values) => Object.keys(values).some((key) => key.startsWith(COMPONENT_FIELD)), {
      message: NO_COMPONENT,
      path: ['components'],
      when: (payload) => typeof payload.value === 'object' && payload.value !== null,
    })
    .transform((values) => ({
      ...values,
      componentIds: Object.keys(values)
        .filter((key) => key.startsWith(COMPONENT_FIELD))
        .map((key) => key.slice(COMPONENT_FIELD.length)),
    }));
}

/** The names of the given components in display order, or null when an id is unknown or none is given. */
export async function componentNames(database: Db, ids: string[]): Promise<string[] | null> {
  if (ids.length === 0) return null;
  const found = await database.statusComponent.findMany({
    where: { id: { in: ids } },
    orderBy: { position: 'asc' },
    select: { name: true },
  });
  return found.length === new Set(ids).size ? found.map((c) => c.name) : null;
}

/** The gate lets only operators reach these use cases; each checks again, so no caller can forget it. */
export function assertOperator(actor: VendorActor): void {
  if (actor.kind !== 'vendor' || actor.role !== 'OPERATOR') throw new Refused('status:operate');
}

export function operatorAudit(
  actor: VendorActor,
  ip: string,
  action: string,
  target: { type: string; id: string },
  details?: AuditInput['details'],
): AuditInput {
  return { actorType: 'VENDOR', actorId: actor.vendorAccountId, action, targetType: target.type, targetId: target.id, ip, outcome: 'SUCCESS', details };
}

/**
 * An action's answer, and whether the change queued an alert to the subscribers (queueStatusAlert,
 * in its transaction); the app sends it on after the response, so the operator does not wait for
 * thousands of messages.
 */
export type OperatorResult = ActionState & { alerted?: true };

/** The answer when the operator's own account or session changed while their change was on its way. */
export const OPERATOR_CHANGED: OperatorResult = { ok: false, message: ACTOR_CHANGED_MESSAGE };

/** Whether operatorTransaction refused because the operator changed. */
export function operatorChanged(result: unknown): result is typeof OPERATOR_CHANGED {
  return result === OPERATOR_CHANGED;
}

/**
 * An operator's change, in one transaction that first holds the operator's row (PostgreSQL) and asks
 * whether they are still who the gate let in; if not, nothing runs, the refusal is audited, and the
 * answer is OPERATOR_CHANGED. A disabled or signed-out operator's change in flight lands on nothing.
 */
export async function operatorTransaction<T>(actor: VendorActor, ip: string, action: string, work: (tx: Tx) => Promise<T>): Promise<T | typeof OPERATOR_CHANGED> {
  const done = await db().$transaction(async (tx) => {
    return (await holdActor(tx, actor)) ? { value: await work(tx) } : null;
  });
  if (done) return done.value;
  await recordAuditAlone(db(), { actorType: 'VENDOR', actorId: actor.vendorAccountId, action, ip, outcome: 'DENIED', details: { refused: 'actor-changed' } });
  return OPERATOR_CHANGED;
}
