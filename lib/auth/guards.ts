import 'server-only';
import { getServerSession } from 'next-auth';
import { headers } from 'next/headers';
import { notFound, redirect, unstable_rethrow } from 'next/navigation';
import { cache } from 'react';
import { z } from 'zod';
import { floodSampler } from '@/lib/audit/flood-sampler';
import { recordAuditAlone } from '@/lib/audit/record';
import { refusedWhat } from '@/lib/audit/refused-what';
import { decideAccess, isNextStepDecision, NEXT_STEP_PATH, type Access } from '@/lib/auth/access';
import { appOrigin, auditCrossSiteRefusal, CROSS_SITE_MESSAGE } from '@/lib/auth/cross-site';
import { keepKnownAcrossOwnChange, presentedByKnownBrowser } from '@/lib/auth/known-browser';
import { noteOwnChange } from '@/lib/auth/own-change';
import { authOptions } from '@/lib/auth/options';
import { resolveSession, SECOND_FACTOR_PENDING_MS, type Actor, type AgencyActor, type VendorActor } from '@/lib/auth/session';
import { SECOND_FACTOR_TIMED_OUT, SIGN_IN_PATH } from '@/lib/auth/sign-in-messages';
import { db } from '@/lib/db/client';
import { ANYONE, donePath } from '@/lib/http/done-notice';
import { DRAWN_FOR_FIELD } from '@/lib/http/drawn-for-field';
import { DRAWN_FOR_ANOTHER_ACCOUNT, keyDrawnFor, looksDrawnForAnAccount, RELOAD_AND_SEND_AGAIN } from '@/lib/http/form-key';
import { clientIpFrom, provideRequestContext, requestIdFrom, type RequestContext } from '@/lib/http/request-context';
import { acceptsCrossSitePost, isRequestedAsSubresource, isSameOriginRequest, isSentByAnotherSite, SAFE_METHODS } from '@/lib/http/same-origin';
import { apologize } from '@/lib/http/unexpected-error';
import { currentBlockingMaintenance } from '@/lib/maintenance/blocking-maintenance-cache';
import { actionClosedDuringMaintenance, closedForMaintenanceMessage } from '@/lib/maintenance/maintenance-gate';
import { formOwnerOf } from '@/lib/mfa/account';
import { Refused } from '@/lib/result';

// The entry-point kit. Every page, server action and route handler is built with one of
// `requirePageActor`/`publicPage`, `defineAction` and `defineRoute` (a test walks app/ to
// prove it). Between the request and the use case they: refuse cross-site state changes,
// load and check the actor, parse input with a strict schema, and turn any unexpected error
// into an apology with a reference instead of framework or database text.

/** Entry points anyone may use, signed in or not. */
export const PUBLIC = { principal: 'public' } as const;
export type EntryAccess = Access | typeof PUBLIC;

type ActorFor<A extends EntryAccess> = A extends { principal: 'agency' }
  ? AgencyActor
  : A extends { principal: 'vendor' }
    ? VendorActor
    : null;

export type { RequestContext };

/** The session id in the browser's session cookie, ended or not, when the cookie is one we signed; decoded once per request. */
export const sessionIdInCookie = cache(async (): Promise<string | null> => (await getServerSession(authOptions()))?.sid ?? null);

/**
 * The actor of the current request, or null; resolved once per request. Only what the person does in the
 * portal is activity: a request another site sent (a link there, a sibling subdomain's `<img>`, which takes
 * the session cookie along) is answered without restarting the idle limit, and one asking for a page as an
 * image, a script or a style is answered as to nobody, its session not even read (review r55b F2).
 */
export const getActor = cache(async (): Promise<Actor | null> => {
  const bag = await headers();
  if (isRequestedAsSubresource(bag)) return null;
  const sid = await sessionIdInCookie();
  const actor = sid ? await resolveSession(sid, new Date(), { countsAsActivity: !isSentByAnotherSite(bag, appOrigin()) }) : null;
  return actor && { ...actor, fromKnownBrowser: await presentedByKnownBrowser(actor) };
});

async function requestContextOf(): Promise<RequestContext> {
  const bag = await headers();
  return { ip: clientIpFrom(bag), requestId: requestIdFrom(bag) };
}

// Lets the layers below (the audit log, error logs) name the request they run in.
provideRequestContext(async () => {
  try {
    return await requestContextOf();
  } catch (error) {
    // Outside a request (a background round) there is none; Next.js's own signals must reach it.
    unstable_rethrow(error);
    return null;
  }
});

/**
 * Which refusals get a record: one account (or, signed out, one address) sending thousands is sampled
 * (lib/audit/flood-sampler.ts), within the bound of its agency's log (or the vendor's): the accounts
 * of one agency cannot leave another's refusals unrecorded.
 */
const refusalToRecord = floodSampler();

/** `what` names the page, action or route; a page's path is the visitor's text, so it is cut short. */
async function auditRefusal(actor: Actor | null, context: RequestContext, what: string, decision: string, more: Record<string, unknown> = {}) {
  const key = actor ? `${actor.kind}:${actor.kind === 'agency' ? actor.userId : actor.vendorAccountId}` : `ip:${context.ip}`;
  const refusalsThisMinute = refusalToRecord(key, { scope: actor?.kind === 'agency' ? actor.agencyId : (actor?.kind ?? 'anonymous') });
  if (refusalsThisMinute === null) return;
  await recordAuditAlone(db(), {
    actorType: actor ? (actor.kind === 'agency' ? 'USER' : 'VENDOR') : 'ANONYMOUS',
    actorId: actor ? (actor.kind === 'agency' ? actor.userId : actor.vendorAccountId) : null,
    agencyId: actor?.kind === 'agency' ? actor.agencyId : null,
    action: 'ACCESS_DENIED',
    outcome: 'DENIED',
    ip: context.ip,
    details: { what: refusedWhat(what), decision, ...more, refusalsThisMinute },
  });
}

/**
 * Whether the browser's session cookie is a real one (signed by us) for a session that was at the code
 * step and outlived it: a cookie of any value, made up, got the notice that the sign-in ran out of time
 * (review r35b F1), and a sign-out leaves none (r34e F2).
 */
async function codeStepRanOut(): Promise<boolean> {
  const sid = await sessionIdInCookie();
  if (!sid) return false;
  const session = await db()
    .authSession.findUnique({ where: { id: sid }, select: { secondFactorPending: true, createdAt: true, endedAt: true } })
    // The database away: the plain sign-in page, as before this was asked.
    .catch(() => null);
  if (!session?.secondFactorPending) return false;
  const limit = session.createdAt.getTime() + SECOND_FACTOR_PENDING_MS;
  // Ended by its limit (or not yet ended), not before it by a reset or a disable (review r35c F12).
  return Date.now() > limit && (session.endedAt === null || session.endedAt.getTime() > limit);
}

/**
 * The sign-in page, for a page or action of a session that is gone; the agency's returns to `page`
 * after it. The code step's lasts ten minutes (SECOND_FACTOR_PENDING_MS): a code sent after that
 * landed on an empty sign-in form, as if ignored, and the page now says why (review r34b F3). The vendor's too.
 */
async function signedOutLanding(access: EntryAccess, page?: string): Promise<string> {
  const signIn = SIGN_IN_PATH[access.principal === 'vendor' ? 'vendor' : 'agency'];
  if ('duringSecondFactor' in access && access.duringSecondFactor) {
    return (await codeStepRanOut()) ? donePath(signIn, SECOND_FACTOR_TIMED_OUT, ANYONE) : signIn;
  }
  // The vendor's sign-in form takes no callbackUrl: it goes to the vendor's home.
  if (access.principal === 'vendor' || !page) return signIn;
  return `${signIn}?callbackUrl=${encodeURIComponent(page)}`;
}

function decide(actor: Actor | null, access: EntryAccess) {
  return access.principal === 'public' ? 'allowed' : decideAccess(actor, access);
}

// ---------------------------------------------------------------------------------- pages

/** For pages: the actor, or a redirect to sign in / change password, or 404 for the wrong audience. */
export async function requirePageActor<A extends Access>(access: A, path: string): Promise<ActorFor<A>> {
  const actor = await getActor();
  const decision = decideAccess(actor, access);
  if (decision === 'allowed') return actor as ActorFor<A>;
  if (decision === 'signed-out') {
    redirect(await signedOutLanding(access, path));
  }
  if (isNextStepDecision(decision)) redirect(NEXT_STEP_PATH[access.principal][decision]);
  // Such pages do not exist for this audience. A link on another site may have sent the person's
  // browser here, which the record says, as it is written in their name.
  const sentByAnotherSite = isSentByAnotherSite(await headers(), appOrigin());
  await auditRefusal(actor, await requestContextOf(), `page ${path}`, decision, sentByAnotherSite ? { sentByAnotherSite } : {});
  notFound();
}

/**
 * Marks a page that anyone may open. It changes nothing at run time (so prerendered pages stay
 * static); it says, where the entry-point test can see it, that the page was meant to be public.
 */
export function publicPage<P>(page: P): P {
  return page;
}

// -------------------------------------------------------------------------------- actions

export type ActionState = {
  ok: boolean;
  message?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  /** What was typed (never a secret field), so a refused or failed form is not emptied. */
  values?: Record<string, string>;
  /** Set when the server failed: the reference a person can quote to support. */
  reference?: string;
  /**
   * A refusal because what the form was for has moved on (an incident resolved, a window over): the
   * page drawn again no longer holds that form, nor a place for its message (afterGoneWithoutJavaScript).
   */
  gone?: true;
};

// Fields whose values never go back to the browser, even to refill a form: `password`, `newPassword`,
// any token or secret, and a second factor's `code` or `passkey` answer (a recovery code typed with one
// character wrong is most of a live one: review r44d F3). Anchored so that settings about passwords
// (`minPasswordLength`, `passwordHistoryCount`) and the agency's `providerCode` are refilled like any other field.
const SECRET_FIELD = /password$|token|secret|^code$|^passkey$/i;
// React's own fields for forms that work before (or without) JavaScript.
const REACT_ACTION_FIELD = /^\$ACTION_/;

type FormInput = { ok: true; input: Record<string, string> } | { ok: false; message: string };

const MALFORMED_FORM = 'This form was sent in a way our pages never send it. Reload the page and try again. Nothing was changed.';

// Names no form of ours has and that objects read as their own workings: a schema with a catch-all
// (zod's .catchall()) skipped `__proto__` silently rather than refusing it (review r35c F10).
const OBJECT_WORKINGS = new Set(['__proto__', 'constructor', 'prototype']);

/** The form's fields as one string each; files, repeated fields and OBJECT_WORKINGS are not what our forms send. */
function readForm(formData: unknown): FormInput {
  if (!(formData instanceof FormData)) {
    return { ok: false, message: MALFORMED_FORM };
  }
  // No prototype: whatever a field is named, it is a field like any other.
  const input: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of formData.entries()) {
    if (REACT_ACTION_FIELD.test(key)) continue;
    if (typeof value !== 'string' || Object.hasOwn(input, key) || OBJECT_WORKINGS.has(key)) {
      return { ok: false, message: MALFORMED_FORM };
    }
    input[key] = value;
  }
  return { ok: true, input };
}

/**
 * The fields that hold a NUL, each with its refusal, or null when none does. No text of ours may hold one,
 * and PostgreSQL refuses it in any query: an id or a name that reached a query with it answered "Something
 * went wrong" (review r40b F2). One check for every form's every field, before any schema reads them.
 */
function fieldsHoldingNul(input: Record<string, string>): Record<string, string[]> | null {
  const fields = Object.keys(input).filter((key) => input[key]!.includes('\u0000'));
  return fields.length === 0 ? null : Object.fromEntries(fields.map((key) => [key, ['This contains a hidden character. Type it in rather than pasting it.']]));
}

/**
 * A signed-in form's fields without its DRAWN_FOR_FIELD, or null when that does not say the page was drawn for
 * `actor` (missing, forged, or drawn for another account, which signed in on this browser since): the person
 * sending it is not who the page was for, and nothing of theirs is checked or done (review r50c F1).
 */
function drawnForThisActor(input: Record<string, string>, actor: Actor): Record<string, string> | null {
  const drawnFor = input[DRAWN_FOR_FIELD];
  if (drawnFor === undefined || !keyDrawnFor(drawnFor, formOwnerOf(actor))) return null;
  const rest: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const key of Object.keys(input)) if (key !== DRAWN_FOR_FIELD) rest[key] = input[key]!;
  return rest;
}

function typedValues(input: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(input).filter(([key]) => !SECRET_FIELD.test(key) && key !== DRAWN_FOR_FIELD).map(([key, value]) => [key, value.slice(0, 2000)]));
}

/**
 * The schema with unknown fields refused rather than silently dropped. An object that declares
 * a catch-all (checkbox groups) decides about its extra fields itself.
 */
function refusingUnknownFields(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodObject) return schema._zod.def.catchall ? schema : schema.strict();
  if (schema instanceof z.ZodPipe) return refusingUnknownFields(schema.in as z.ZodType).pipe(schema.out as z.ZodType);
  return schema;
}

export type ActionOptions<I> = {
  /**
   * Where an action of a session that is gone sends the browser, from the form as it was sent, when it
   * knows better than the sign-in page (null: the sign-in page).
   */
  whenSignedOut?: (sent: Record<string, string>) => Promise<string | null>;
  /**
   * Without JavaScript the browser shows an action's answer as the page itself, and reloading it
   * sends the form again. An action whose success must not happen twice on a reload (a mail, an
   * incident) names the page that says it was done: a success without JavaScript is answered with
   * "see other" to it. With JavaScript a reload is a plain GET, and the answer stays in place.
   */
  afterSuccessWithoutJavaScript?: (input: I, actor: Actor) => string;
  /**
   * Without JavaScript a refusal's message is drawn in its form, on the page drawn again; a form drawn
   * only while its subject lasts is gone from it with its subject (`gone`), and the message with it
   * (review r34b F1). Such a refusal is answered with "see other" to the page that says it.
   */
  afterGoneWithoutJavaScript?: (input: I, actor: Actor) => string;
};

/**
 * Every server action goes through here: the request must come from our own pages, the actor
 * is loaded and checked against `access`, the input is parsed with `schema` (unknown fields are
 * refused, not dropped), and only then the use case runs. Anyone can POST to an action.
 */
export function defineAction<A extends EntryAccess, S extends z.ZodType, R extends ActionState = ActionState>(
  name: string,
  access: A,
  schema: S,
  run: (actor: ActorFor<A>, input: z.infer<S>, context: RequestContext) => Promise<R>,
  { afterSuccessWithoutJavaScript, afterGoneWithoutJavaScript, whenSignedOut }: ActionOptions<z.infer<S>> = {},
) {
  const strict = refusingUnknownFields(schema);
  return async (_previous: R | ActionState, formData: FormData): Promise<R | ActionState> => {
    // Anyone can POST to an action with arguments of their choosing: nothing about them is trusted.
    const bag = await headers();
    const context: RequestContext = { ip: clientIpFrom(bag), requestId: requestIdFrom(bag) };
    let values: Record<string, string> | undefined;
    try {
      const form = readForm(formData);
      values = form.ok ? typedValues(form.input) : undefined;
      if (!isSameOriginRequest(bag, appOrigin())) {
        await auditCrossSiteRefusal(context.ip, `action ${name}`, bag.get('origin'));
        return { ok: false, message: CROSS_SITE_MESSAGE };
      }
      const closed = actionClosedDuringMaintenance(name, access.principal) ? await currentBlockingMaintenance() : null;
      if (closed) return { ok: false, message: closedForMaintenanceMessage(closed), values };
      const actor = access.principal === 'public' ? null : await getActor();
      const decision = decide(actor, access);
      if (decision === 'signed-out') redirect((form.ok ? await whenSignedOut?.(form.input) : null) ?? (await signedOutLanding(access)));
      if (isNextStepDecision(decision) && access.principal !== 'public') {
        await auditRefusal(actor, context, `action ${name}`, decision);
        redirect(NEXT_STEP_PATH[access.principal][decision]);
      }
      if (decision === 'forbidden') {
        await auditRefusal(actor, context, `action ${name}`, decision);
        return { ok: false, message: 'You are not allowed to do that.' };
      }
      if (!form.ok) return { ok: false, message: form.message };
      const input = access.principal === 'public' ? form.input : drawnForThisActor(form.input, actor as Actor);
      if (!input) {
        // Another account's key: one signed in on this browser since the page was drawn. None at all: a reload will do.
        const message = looksDrawnForAnAccount(form.input[DRAWN_FOR_FIELD]) ? DRAWN_FOR_ANOTHER_ACCOUNT : RELOAD_AND_SEND_AGAIN;
        return { ok: false, message, values };
      }
      const holdingNul = fieldsHoldingNul(input);
      if (holdingNul) return { ok: false, message: 'There is a problem with what you entered.', fieldErrors: holdingNul, values };
      const parsed = strict.safeParse(input);
      if (!parsed.success) {
        const unknown = parsed.error.issues.some((issue) => issue.code === 'unrecognized_keys');
        if (unknown) return { ok: false, message: 'This form sent a field it does not have. Reload the page and try again. Nothing was changed.', values };
        const { fieldErrors } = z.flattenError(parsed.error);
        return { ok: false, message: 'There is a problem with what you entered.', fieldErrors, values };
      }
      // A change of the account's session version this action made keeps its browser known (own-change.ts).
      const result = await noteOwnChange(
        () => run(actor as ActorFor<A>, parsed.data as z.infer<S>, context),
        async (moved) => {
          if (actor) await keepKnownAcrossOwnChange(actor, moved);
        },
      );
      // A form posted without JavaScript carries no Next-Action header (its action id is in the body).
      const landing = result.ok ? afterSuccessWithoutJavaScript : result.gone && afterGoneWithoutJavaScript;
      if (landing && !bag.has('next-action')) redirect(landing(parsed.data as z.infer<S>, actor as Actor));
      // A use case's refusal keeps what was typed too (never a secret field), unless it says what to show.
      return result.ok || result.values ? result : { ...result, values };
    } catch (error) {
      unstable_rethrow(error);
      if (error instanceof Refused) {
        await auditRefusal(await getActor(), context, `action ${name}`, `refused ${error.capability}`);
        return { ok: false, message: error.message };
      }
      const apology = apologize(`action ${name}`, error, context.requestId);
      return { ok: false, message: apology.message, reference: apology.reference, values };
    }
  };
}

// --------------------------------------------------------------------------------- routes

const NO_STORE = { 'Cache-Control': 'no-store' };

const NEXT_STEP_REFUSAL = {
  'second-factor-required': { error: 'SECOND_FACTOR_REQUIRED', message: 'Finish signing in with your second factor first.' },
  'password-change-required': { error: 'PASSWORD_CHANGE_REQUIRED', message: 'Change your temporary password first.' },
  'enrolment-required': { error: 'SECOND_FACTOR_ENROLMENT_REQUIRED', message: 'Add a second factor to your account first (a passkey, where your agency requires one).' },
} as const;

type RouteOptions = {
  /** Only the RFC 8058 one-click endpoint: mail providers POST to it from their servers. */
  crossSite?: 'allowed';
};

/** Every route handler goes through here, public ones included. */
export function defineRoute<A extends EntryAccess>(
  name: string,
  access: A,
  handle: (actor: ActorFor<A>, request: Request, context: RequestContext) => Promise<Response>,
  options: RouteOptions = {},
) {
  return async (request: Request): Promise<Response> => {
    const context: RequestContext = { ip: clientIpFrom(request.headers), requestId: requestIdFrom(request.headers) };
    try {
      const crossSite = !SAFE_METHODS.has(request.method)
        ? !isSameOriginRequest(request.headers, appOrigin())
        : access.principal !== 'public' && isSentByAnotherSite(request.headers, appOrigin());
      if (crossSite) {
        const exempt = options.crossSite === 'allowed' && acceptsCrossSitePost(new URL(request.url).pathname, request.headers);
        if (!exempt) {
          await auditCrossSiteRefusal(context.ip, `route ${name}`, request.headers.get('origin'));
          return Response.json({ error: 'CROSS_SITE', message: CROSS_SITE_MESSAGE }, { status: 403, headers: NO_STORE });
        }
      }
      const actor = access.principal === 'public' ? null : await getActor();
      const decision = decide(actor, access);
      if (decision === 'allowed') return await handle(actor as ActorFor<A>, request, context);
      if (decision === 'signed-out') {
        return Response.json({ error: 'SIGNED_OUT', message: 'Sign in first.' }, { status: 401, headers: NO_STORE });
      }
      await auditRefusal(actor, context, `route ${name}`, decision);
      if (isNextStepDecision(decision)) {
        return Response.json({ error: NEXT_STEP_REFUSAL[decision].error, message: NEXT_STEP_REFUSAL[decision].message }, { status: 403, headers: NO_STORE });
      }
      return Response.json({ error: 'FORBIDDEN', message: 'Not allowed.' }, { status: 403, headers: NO_STORE });
    } catch (error) {
      unstable_rethrow(error);
      if (error instanceof Refused) {
        await auditRefusal(await getActor(), context, `route ${name}`, `refused ${error.capability}`);
        return Response.json({ error: 'FORBIDDEN', message: error.message }, { status: 403, headers: NO_STORE });
      }
      const apology = apologize(`route ${name}`, error, context.requestId);
      return Response.json(
        { error: apology.status === 503 ? 'UNAVAILABLE' : 'INTERNAL', message: apology.message, reference: apology.reference },
        { status: apology.status, headers: { ...NO_STORE, ...(apology.status === 503 ? { 'Retry-After': '120' } : {}) } },
      );
    }
  };
}
