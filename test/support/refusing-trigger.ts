// A real refusal by the database itself, for tests of what a failed write leaves behind: a trigger on
// "OutboxMessage" that aborts the writes matching `when` (SQL on NEW). 'refused' is a failure that
// comes back every time; 'busy' says what a database busy for a moment says (isDatabaseUnavailable):
// PostgreSQL only, as Prisma answers any SQLite trigger's abort as a constraint failure, without its words.
import { db } from '@/lib/db/client';
import { databaseKind } from '@/lib/db/kind';

/** Runs `body` while the database refuses every `event` on "OutboxMessage" whose row matches `when`. */
export async function whileOutboxRefuses<T>(event: 'INSERT' | 'UPDATE', when: string, body: () => Promise<T>, as: 'refused' | 'busy' = 'refused'): Promise<T> {
  const onSqlite = databaseKind(process.env.DATABASE_URL!) === 'sqlite';
  if (onSqlite && as === 'busy') throw new Error('a busy database is made with a trigger on PostgreSQL only');
  const postgresSays = as === 'busy' ? `'sorry, too many clients already' USING ERRCODE = '53300'` : `'refused by the test'`;
  const [create, drop] = onSqlite
    ? [
        [`CREATE TRIGGER refused_by_test BEFORE ${event} ON "OutboxMessage" WHEN ${when} BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`],
        ['DROP TRIGGER IF EXISTS refused_by_test'],
      ]
    : [
        [
          `CREATE OR REPLACE FUNCTION refused_by_test() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION ${postgresSays}; END $$ LANGUAGE plpgsql`,
          `CREATE TRIGGER refused_by_test BEFORE ${event} ON "OutboxMessage" FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION refused_by_test()`,
        ],
        ['DROP TRIGGER IF EXISTS refused_by_test ON "OutboxMessage"', 'DROP FUNCTION IF EXISTS refused_by_test()'],
      ];
  for (const statement of create) await db().$executeRawUnsafe(statement);
  try {
    return await body();
  } finally {
    for (const statement of drop) await db().$executeRawUnsafe(statement);
  }
}
