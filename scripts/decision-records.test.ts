// The README's "Decisions" list is how people find a decision record: none may be missing from it,
// and none of its links may lead nowhere.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const records = readdirSync(path.join(root, 'docs/decisions')).filter((file) => /^\d{3}-.*\.md$/.test(file));
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const decisions = readme.slice(readme.indexOf('\n## Decisions\n'), readme.indexOf('\n## ', readme.indexOf('\n## Decisions\n') + 1));
const linked = [...decisions.matchAll(/\]\(docs\/decisions\/([^)]+)\)/g)].map((match) => match[1]);

describe('decision records', () => {
  it('are numbered without gaps or repeats', () => {
    const numbers = records.map((file) => Number(file.slice(0, 3))).sort((a, b) => a - b);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
  });

  it('are each listed in the README, in order, by a link that opens the record', () => {
    expect(linked).toEqual([...records].sort());
  });

  it('each begin with their number and say their status', () => {
    for (const file of records) {
      const text = readFileSync(path.join(root, 'docs/decisions', file), 'utf8');
      expect(text, file).toMatch(new RegExp(`^# ${file.slice(0, 3)}\\. `));
      expect(text, file).toMatch(/^Status: /m);
    }
  });
});
