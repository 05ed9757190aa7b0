import { describe, expect, it } from 'vitest';
import { blocklistSize, isCommonPassword } from './blocklist';

describe('isCommonPassword', () => {
  it('loads the SecLists entries of 6 characters or more', () => {
    // 437,651 lines; 371,035 distinct entries of 6+ characters once case variants fold together.
    expect(blocklistSize()).toBeGreaterThan(100_000);
  });

  it('finds common passwords whatever their case or width', () => {
    expect(isCommonPassword('password123')).toBe(true);
    expect(isCommonPassword('PASSWORD123')).toBe(true);
    expect(isCommonPassword('ｐａｓｓｗｏｒｄ１２３')).toBe(true);
    expect(isCommonPassword('1qaz2wsx3edc4rfv')).toBe(true);
  });

  it('finds entries whose source line ended in CRLF', () => {
    // In the source only as "!@#$%^&*()_+\r".
    expect(isCommonPassword('!@#$%^&*()_+')).toBe(true);
  });

  it('does not flag an uncommon passphrase', () => {
    expect(isCommonPassword('violet kettle harbour lantern')).toBe(false);
  });
});
