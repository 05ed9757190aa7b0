import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layer rules live in eslint.config.mjs; this proves they catch what they are for.
const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message.split(' import ')[0]!);
}

describe('layers', () => {
  it('a shared layer cannot import a feature, by alias or by a relative path', async () => {
    const code = [
      "import { formatReference } from '@/lib/super-admin/reference';",
      "import { x } from '../status/severity';",
      "import { y } from '@/components/status/uptime-bars';",
      "import { z } from '@/app/(admin)/admin/actions';",
      "import { ok } from '@/lib/mail/outbox';",
      'export const all = [formatReference, x, y, z, ok];',
    ].join('\n');
    expect(await restrictedImports('lib/mail/templates/probe.ts', code)).toEqual([
      "'@/lib/super-admin/reference'",
      "'../status/severity'",
      "'@/components/status/uptime-bars'",
      "'@/app/(admin)/admin/actions'",
    ]);
    expect(await restrictedImports('components/ui/probe.tsx', "import { canAdmin } from '@/lib/admin/permissions';\nexport const a = canAdmin;")).toHaveLength(1);
    expect(await restrictedImports('lib/db/probe.ts', "import { TRANSITIONS } from '@/lib/super-admin/state-machine';\nexport const a = TRANSITIONS;")).toHaveLength(1);
  });

  it('pages and components cannot import the database client', async () => {
    const code = [
      "import { db } from '@/lib/db/client';",
      "import { PrismaClient } from '@/lib/generated/postgresql/client';",
      "import { getStatusOverview } from '@/lib/status/get-status-overview';",
      'export const all = [db, PrismaClient, getStatusOverview];',
    ].join('\n');
    expect(await restrictedImports('app/(public)/status/probe.tsx', code)).toEqual(["'@/lib/db/client'", "'@/lib/generated/postgresql/client'"]);
    expect(await restrictedImports('components/status/probe.tsx', code)).toHaveLength(2);
    expect(await restrictedImports('components/ui/probe.tsx', code)).toHaveLength(3);
  });

  it('a feature may import shared layers and the database', async () => {
    const code = "import { db } from '@/lib/db/client';\nimport { enqueueMail } from '@/lib/mail/outbox';\nexport const all = [db, enqueueMail];";
    expect(await restrictedImports('lib/super-admin/probe.ts', code)).toEqual([]);
  });
});
