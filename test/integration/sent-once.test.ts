import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { hmacSign } from '@/lib/crypto/keyring';
import { DRAWN_FOR, newFormKey } from '@/lib/http/form-key';
import { claimFormKey, onceForForm, sentBefore, STALE_RENDERING, STILL_UNDER_WAY, withFormKeyHeld, withKeyHeld } from '@/lib/http/sent-once';

const FORM = 'sent-once-test';
const SENT_ALREADY = 'sent already';

describe('a form key held while its work runs (withFormKeyHeld)', () => {
  it('is not "sent before" while a copy holds it at its work, only once that work claimed it (review r43g F4)', async () => {
    const key = newFormKey('user:one');
    const answer = await withFormKeyHeld(FORM, key, 'user:one', SENT_ALREADY, async (claim) => {
      expect(await sentBefore(FORM, key, 'user:one')).toBe(false);
      await db().$transaction(async (tx) => claim(tx));
      return 'done';
    });
    expect(answer).toBe('done');
    expect(await sentBefore(FORM, key, 'user:one')).toBe(true);
    expect(await sentBefore(FORM, key, 'user:two')).toBe(false);
  });

  it('a holder stalled past its hold is taken over; its own claim then fails and its work is undone, so the work is done once (review r39a F3)', async () => {
    const key = newFormKey('user:one');
    let done = 0;
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const holding = new Promise<void>((resolve) => (started = resolve));
    const first = withFormKeyHeld(FORM, key, 'user:one', SENT_ALREADY, async (claim) => {
      started();
      await stalled;
      await db().$transaction(async (tx) => {
        await claim(tx);
        done += 1;
      });
      return 'first';
    });
    await holding;
    // The hold runs out while the first copy is still at its work (as if its instance had died).
    await db().sentForm.updateMany({ where: { key: `${FORM}:${key}` }, data: { underWayUntil: new Date(Date.now() - 1) } });
    const second = await withFormKeyHeld(FORM, key, 'user:one', SENT_ALREADY, async (claim) => {
      await db().$transaction(async (tx) => {
        await claim(tx);
        done += 1;
      });
      return 'second';
    });
    release();
    await expect(first).rejects.toThrow(/lapsed and was taken over/);
    expect(second).toBe('second');
    expect(done).toBe(1);
    expect(await withFormKeyHeld(FORM, key, 'user:one', SENT_ALREADY, async () => 'third')).toBe(SENT_ALREADY);
  });

  it('a key claimed before keys had owners is no account’s: it is never answered as done (review r39a F4)', async () => {
    const key = newFormKey('user:one');
    await db().sentForm.create({ data: { key: `${FORM}:${key}` } });
    let ran = false;
    expect(
      await withFormKeyHeld(FORM, key, 'user:one', SENT_ALREADY, async () => {
        ran = true;
        return 'ran';
      }),
    ).toBe(STALE_RENDERING);
    expect(ran).toBe(false);
  });

  it('a copy waiting for a first copy that takes too long is told so, within a proxy’s patience, and does nothing (review r39b 3)', async () => {
    const key = newFormKey('user:one');
    // The first copy holds the key for another minute and a half (an instance that died half-way).
    await db().sentForm.create({ data: { key: `${FORM}:${key}`, claimedBy: 'user:one', underWayUntil: new Date(Date.now() + 90_000) } });
    let ran = false;
    const waitedFrom = Date.now();
    expect(
      await withFormKeyHeld(FORM, key, 'user:one', SENT_ALREADY, async () => {
        ran = true;
        return 'ran';
      }),
    ).toBe(STILL_UNDER_WAY);
    expect(Date.now() - waitedFrom).toBeLessThan(30_000);
    expect(ran).toBe(false);
  }, 60_000);

  it('a key claimed with its work is its account’s: sent again by that account it was done, by another it is stale and does nothing (review r39a F4)', async () => {
    const key = newFormKey('user:one');
    let done = 0;
    const send = (claimedBy: string) =>
      onceForForm(FORM, key, claimedBy, SENT_ALREADY, () =>
        db().$transaction(async (tx) => {
          await claimFormKey(tx, FORM, key, claimedBy);
          done += 1;
          return 'done';
        }),
      );
    expect(await send('user:one')).toBe('done');
    expect(await send('user:one')).toBe(SENT_ALREADY);
    expect(await send('user:two')).toBe(STALE_RENDERING);
    expect(done).toBe(1);
    expect(await sentBefore(FORM, key, 'user:one')).toBe(true);
    expect(await sentBefore(FORM, key, 'user:two')).toBe(false);
    expect(await sentBefore(FORM, key)).toBe(false);
  });

  it('a key drawn for one account, never sent, sent by another (the same browser, signed in as someone else) is stale: its work never runs and nothing is written (review r48e F3)', async () => {
    const drawnForOne = newFormKey('user:one');
    const forged = [
      drawnForOne,
      newFormKey(), // drawn for no one: a key a script made up
      newFormKey('vendor:one'), // the same id, another kind of account
      `${drawnForOne.slice(0, 24)}${newFormKey('user:two').slice(24)}`, // another rendering's signature
      `${drawnForOne.slice(0, 24)}${hmacSign(DRAWN_FOR, ['user:two', drawnForOne.slice(0, 24)])}`, // this rendering signed for another account
      drawnForOne.slice(0, 24),
    ];
    let ran = 0;
    const work = async () => {
      ran += 1;
      return 'done';
    };
    for (const key of forged) {
      expect(await withFormKeyHeld(FORM, key, key === drawnForOne ? 'user:two' : 'user:one', SENT_ALREADY, work), key).toBe(STALE_RENDERING);
      expect(await onceForForm(FORM, key, key === drawnForOne ? 'user:two' : 'user:one', SENT_ALREADY, work), key).toBe(STALE_RENDERING);
    }
    expect(ran).toBe(0);
    expect(await db().sentForm.count({ where: { key: { in: forged.map((key) => `${FORM}:${key}`) } } })).toBe(0);
    // Drawn for the account that sends it, it does its work; a form anyone may send takes any key.
    expect(await withFormKeyHeld(FORM, drawnForOne, 'user:one', SENT_ALREADY, work)).toBe('done');
    expect(await onceForForm(FORM, newFormKey(), null, SENT_ALREADY, work)).toBe('done');
    // A key that is no rendering (a pending session's id, for its code step) is held by whoever comes first.
    expect(await withKeyHeld(FORM, newFormKey(), 'user:two', SENT_ALREADY, work)).toBe('done');
    expect(ran).toBe(3);
    // The rendering signed for another account is that account's: its signature is good, only not this sender's.
    expect(await withFormKeyHeld(FORM, forged[4]!, 'user:two', SENT_ALREADY, work)).toBe('done');
  });
});
