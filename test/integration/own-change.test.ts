// An action's own change of its session's version is noted for that action alone (own-change.ts): its browser is
// kept known at the new version, and a request that only saw the version move (a thief's copy of the session cookie,
// acting while the owner changed the password) is told of no change (review r46b F1).
import { describe, expect, it, vi } from 'vitest';
import { changeOwnPassword } from '@/lib/auth/change-own-password';
import { carrySessionOn, noteOwnChange } from '@/lib/auth/own-change';
import { openSession, resolveSession, type AgencyActor } from '@/lib/auth/session';
import { signInAgencyUser } from '@/lib/auth/sign-in';
import { db } from '@/lib/db/client';
import { createAgency, createUser } from '@/prisma/factories';

async function aSession() {
  const agency = await createAgency(db());
  const user = await createUser(db(), agency.id, 'quiet meadow copper lantern');
  const sessionId = await db().$transaction((tx) => openSession(tx, { kind: 'user', id: user.id }, user.sessionVersion, '192.0.2.1'));
  return { user, sessionId };
}

const moveTo = (sessionId: string, version: number) => db().$transaction((tx) => carrySessionOn(tx, sessionId, version));

describe('an action’s own change of its session’s version', () => {
  it('is told to the action that made it, even when the action then throws (a redirect)', async () => {
    const { sessionId } = await aSession();
    const seen: unknown[] = [];
    await noteOwnChange(() => moveTo(sessionId, 7), async (moved) => void seen.push(moved));
    await expect(
      noteOwnChange(
        async () => {
          await moveTo(sessionId, 8);
          throw new Error('NEXT_REDIRECT');
        },
        async (moved) => void seen.push(moved),
      ),
    ).rejects.toThrow('NEXT_REDIRECT');
    expect(seen).toEqual([
      { sessionId, version: 7 },
      { sessionId, version: 8 },
    ]);
    expect((await db().authSession.findUniqueOrThrow({ where: { id: sessionId } })).sessionVersion).toBe(8);
  });

  it('[ATTACKER] is not told to another action running at the same moment on the same session', async () => {
    const { sessionId } = await aSession();
    let ownerMoved!: () => void;
    const moved = new Promise<void>((resolve) => (ownerMoved = resolve));
    const seen: Record<string, unknown> = {};
    await Promise.all([
      noteOwnChange(
        async () => {
          await moveTo(sessionId, 2);
          ownerMoved();
        },
        async (change) => void (seen.owner = change),
      ),
      // The copy's action starts before the owner's change and ends after it.
      noteOwnChange(() => moved, async (change) => void (seen.copy = change)),
    ]);
    expect(seen).toEqual({ owner: { sessionId, version: 2 }, copy: null });
  });

  /** A password change whose first copy (`first`) commits after the second (`input`) read the account, before it goes on. */
  async function changedTwice(first: { newPassword: string }, second: { newPassword: string }) {
    const agency = await createAgency(db());
    const user = await createUser(db(), agency.id, 'quiet meadow copper lantern');
    const signedIn = await signInAgencyUser({ providerCode: agency.code, loginName: user.loginName, password: 'quiet meadow copper lantern' }, '192.0.2.2');
    if (!signedIn.ok) throw new Error('sign-in failed');
    const actor = (await resolveSession(signedIn.sessionId)) as AgencyActor;
    const change = (newPassword: string) => changeOwnPassword(actor, { currentPassword: 'quiet meadow copper lantern', newPassword, confirmPassword: newPassword }, '192.0.2.2');
    const seen: Record<string, unknown> = {};
    const accountRead = db().user.findUniqueOrThrow.bind(db().user);
    const spy = vi.spyOn(db().user, 'findUniqueOrThrow').mockImplementationOnce((async (args: Parameters<typeof accountRead>[0]) => {
      const asItWas = await accountRead(args);
      await noteOwnChange(() => change(first.newPassword), async (moved) => void (seen.first = moved));
      return asItWas;
    }) as unknown as typeof accountRead);
    try {
      const answer = await noteOwnChange(() => change(second.newPassword), async (moved) => void (seen.second = moved));
      return { answer, seen, moved: { sessionId: actor.sessionId, version: user.sessionVersion + 1 } };
    } finally {
      spy.mockRestore();
    }
  }

  it('[ATTACKER] is not told to another rendering’s password change at that moment, to the same password or another: it is told neither which, nor kept known (reviews r46d F1, r47c F1)', async () => {
    for (const newPassword of ['violet harbour copper quill', 'orchard quartz lantern meadow']) {
      const { answer, seen, moved } = await changedTwice({ newPassword: 'violet harbour copper quill' }, { newPassword });
      expect(answer).toEqual({ ok: false, message: expect.stringMatching(/^Your password was changed a moment ago from another page, while this one was being sent\. Nothing was changed/) });
      expect(seen).toEqual({ first: moved, second: null });
    }
  });

  it('outside an action (a script, a test), moves the session all the same: there is no action to note it for', async () => {
    const { sessionId } = await aSession();
    await moveTo(sessionId, 3);
    expect((await db().authSession.findUniqueOrThrow({ where: { id: sessionId } })).sessionVersion).toBe(3);
  });
});
