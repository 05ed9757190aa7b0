// Walks stored sealed values a batch at a time and writes back, under the current key, those the
// previous key sealed, so that NEXTAUTH_SECRET_PREVIOUS can be dropped without losing them.

export type ResealReport = { checked: number; resealed: number; unreadable: string[] };

type Row<F extends string> = { id: string } & Record<F, string | null>;

export type ResealSource<F extends string> = {
  fields: readonly F[];
  /** The value under the current key, null when it needs nothing; throws when no key opens it. */
  reseal(stored: string): string | null;
  /** Up to `take` rows after `afterId` in id order (the first batch when null). */
  batch(afterId: string | null, take: number): Promise<Row<F>[]>;
  /**
   * Writes `after` only where the row still holds `before`: a value a running app changed in the
   * meantime (a delivered mail wiped, a factor removed) is newer than ours and is left alone.
   * Returns whether the row was written.
   */
  replace(id: string, before: Record<F, string | null>, after: Record<F, string | null>): Promise<boolean>;
};

export async function resealInBatches<F extends string>(source: ResealSource<F>, batchSize = 200): Promise<ResealReport> {
  const report: ResealReport = { checked: 0, resealed: 0, unreadable: [] };
  let afterId: string | null = null;
  for (;;) {
    const rows = await source.batch(afterId, batchSize);
    if (rows.length === 0) return report;
    for (const row of rows) {
      report.checked += 1;
      const before = {} as Record<F, string | null>;
      for (const field of source.fields) before[field] = row[field];
      const after = { ...before };
      let changed = false;
      try {
        for (const field of source.fields) {
          const stored = row[field];
          const resealed = stored === null ? null : source.reseal(stored);
          if (resealed !== null) {
            after[field] = resealed;
            changed = true;
          }
        }
      } catch {
        // Changed, or sealed under a secret that is gone: nothing can open it; the operator is told which.
        report.unreadable.push(row.id);
        continue;
      }
      if (changed && (await source.replace(row.id, before, after))) report.resealed += 1;
    }
    afterId = rows[rows.length - 1]!.id;
  }
}
