// An action's own change of its session's version is noted for that action alone (own-change.ts): its browser is
// kept known at the new version, and a request that only saw the version move (a thief's copy of the session cookie,
// acting while the owner changed the password) is told of no change (review r46b F1).
import { describe, expect, it } from 'vitest';
import { carrySessionOn, noteOwnChange } from '@/lib/auth/own-change';
import { openSession } from '@/lib/auth/session';
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

  it('outside an action, moves the session and notes nothing', async () => {
    const { sessionId } = await aSession();
    await moveTo(sessionId, 3);
    expect((await db().authSession.findUniqueOrThrow({ where: { id: sessionId } })).sessionVersion).toBe(3);
  });
});
