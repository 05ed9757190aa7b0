import { getServerSession } from 'next-auth';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { z } from 'zod';
import { recordAuditAlone } from '@/lib/audit/record';
import { decideAccess, type Access } from '@/lib/auth/access';
import { authOptions } from '@/lib/auth/options';
import { resolveSession, type Actor, type AgencyActor, type VendorActor } from '@/lib/auth/session';
import { db } from '@/lib/db/client';
import { requestClientIp } from '@/lib/http/client-ip';

/** The actor of the current request, or null; resolved once per request. */
export const getActor = cache(async (): Promise<Actor | null> => {
  const session = await getServerSession(authOptions());
  return session?.sid ? resolveSession(session.sid) : null;
});

/** Entry points anyone may use, signed in or not (a link's token is their only credential). */
export const PUBLIC = { principal: 'public' } as const;
export type EntryAccess = Access | typeof PUBLIC;

type ActorFor<A extends EntryAccess> = A extends { principal: 'agency' }
  ? AgencyActor
  : A extends { principal: 'vendor' }
    ? VendorActor
    : null;

function decide(actor: Actor | null, access: EntryAccess) {
  return access.principal === 'public' ? 'allowed' : decideAccess(actor, access);
}

async function auditDenied(actor: Actor, what: string, decision: string) {
  await recordAuditAlone(db(), {
    actorType: actor.kind === 'agency' ? 'USER' : 'VENDOR',
    actorId: actor.kind === 'agency' ? actor.userId : actor.vendorAccountId,
    agencyId: actor.kind === 'agency' ? actor.agencyId : null,
    action: 'ACCESS_DENIED',
    outcome: 'DENIED',
    ip: await requestClientIp(),
    details: { what, decision },
  });
}

/** For pages: the actor, or a redirect to sign in / change password, or 404 for the wrong audience. */
export async function requirePageActor<A extends Access>(access: A, path: string): Promise<ActorFor<A>> {
  const actor = await getActor();
  const decision = decideAccess(actor, access);
  if (decision === 'allowed') return actor as ActorFor<A>;
  if (decision === 'signed-out') {
    redirect(access.principal === 'vendor' ? '/vendor/login' : `/login?callbackUrl=${encodeURIComponent(path)}`);
  }
  if (decision === 'password-change-required') redirect('/change-password');
  // Such pages do not exist for this audience.
  await auditDenied(actor!, `page ${path}`, decision);
  notFound();
}

/** Marks a page that anyone may open; it changes nothing at run time. */
export function publicPage<P>(page: P): P {
  return page;
}

export type ActionState = {
  ok: boolean;
  message?: string;
  fieldErrors?: Record<string, string[] | undefined>;
};

/**
 * Every server action goes through here: input parsed with zod, the actor loaded and
 * checked against `access`, and only then the use case. Anyone can POST to an action.
 */
export function defineAction<A extends EntryAccess, S extends z.ZodType, R extends ActionState = ActionState>(
  name: string,
  access: A,
  schema: S,
  run: (actor: ActorFor<A>, input: z.infer<S>) => Promise<R>,
) {
  return async (_previous: R | ActionState, formData: FormData): Promise<R | ActionState> => {
    const actor = access.principal === 'public' ? null : await getActor();
    const decision = decide(actor, access);
    if (decision === 'signed-out') redirect(access.principal === 'vendor' ? '/vendor/login' : '/login');
    if (decision === 'password-change-required') {
      await auditDenied(actor!, `action ${name}`, decision);
      redirect('/change-password');
    }
    if (decision === 'forbidden') {
      await auditDenied(actor!, `action ${name}`, decision);
      return { ok: false, message: 'You are not allowed to do that.' };
    }
    const parsed = schema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) {
      const { fieldErrors } = z.flattenError(parsed.error);
      return { ok: false, message: 'There is a problem with what you entered.', fieldErrors };
    }
    return run(actor as ActorFor<A>, parsed.data);
  };
}

const NO_STORE = { 'Cache-Control': 'no-store' };

type RouteOptions = {
  /** Only the RFC 8058 one-click endpoint: mail providers POST to it from their servers. */
  crossSite?: 'allowed';
};

/** Every route handler goes through here, public ones included. */
export function defineRoute<A extends EntryAccess>(
  name: string,
  access: A,
  handle: (actor: ActorFor<A>, request: Request) => Promise<Response>,
  // Read by the same-origin check that state-changing routes get; recorded here so each route says it.
  options: RouteOptions = {},
) {
  void options;
  return async (request: Request): Promise<Response> => {
    const actor = access.principal === 'public' ? null : await getActor();
    const decision = decide(actor, access);
    if (decision === 'allowed') return handle(actor as ActorFor<A>, request);
    if (decision === 'signed-out') {
      return Response.json({ error: 'SIGNED_OUT', message: 'Sign in first.' }, { status: 401, headers: NO_STORE });
    }
    await auditDenied(actor!, `route ${name}`, decision);
    if (decision === 'password-change-required') {
      return Response.json(
        { error: 'PASSWORD_CHANGE_REQUIRED', message: 'Change your temporary password first.' },
        { status: 403, headers: NO_STORE },
      );
    }
    return Response.json({ error: 'FORBIDDEN', message: 'Not allowed.' }, { status: 403, headers: NO_STORE });
  };
}
