import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Every page, server action and route handler under app/ is built with the entry-point kit
// (lib/auth/guards.ts): a rule kept by habit is not kept, so this test reads the source.

const root = path.resolve(import.meta.dirname, '../..');
const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'generated' ? [] : filesUnder(full);
    return /\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** What is wrong with one source file, as an entry point; empty when it is built with the kit. */
export function entryPointProblems(file: string, source: string): string[] {
  const problems: string[] = [];
  const name = path.basename(file);
  if (name === 'page.tsx' && !/\brequirePageActor\(/.test(source) && !/export default publicPage\(/.test(source)) {
    problems.push('a page must call requirePageActor(…) or be exported as publicPage(…)');
  }
  // `?q=a&q=b` gives a page an array where its type says text; a page that trusts the type crashes.
  if (name === 'page.tsx' && /\bsearchParams\b/.test(source) && !/\bfirstValues\(searchParams\)/.test(source)) {
    problems.push('a page reads its query with firstValues(searchParams) (lib/http/search-params.ts)');
  }
  if (name === 'route.ts') {
    for (const method of HTTP_METHODS) {
      if (new RegExp(`export\\s+(async\\s+)?function\\s+${method}\\b`).test(source)) problems.push(`${method} must be defineRoute(…), not a function`);
      const declared = new RegExp(`export\\s+const\\s+${method}\\s*=\\s*([\\w.]+)`).exec(source);
      if (declared && declared[1] !== 'defineRoute') problems.push(`${method} must be defineRoute(…)`);
      if (new RegExp(`export\\s*\\{[^}]*\\bas\\s+${method}\\b`).test(source)) problems.push(`${method} must be defineRoute(…), not re-exported`);
    }
  }
  if (/^\s*['"]use server['"]/.test(source)) {
    if (/export\s+(default\s+)?(async\s+)?function\b/.test(source)) problems.push('a server action must be defineAction(…), not a function');
    for (const match of source.matchAll(/export\s+const\s+(\w+)\s*=\s*([\w.]+)/g)) {
      if (!['defineAction', 'step'].includes(match[2] ?? '')) problems.push(`${match[1]} must be defineAction(…)`);
    }
    if (/export\s*\{/.test(source) || /export\s+default\b/.test(source)) problems.push('server actions are exported one by one as defineAction(…)');
  }
  // A signed-in form says whose page it was drawn for, or defineAction refuses it for everyone (components/auth/drawn-for.tsx).
  const forms = source.match(/<form action=\{/g)?.length ?? 0;
  if (forms > 0 && !PUBLIC_FORMS.test(file.split(path.sep).join('/')) && (source.match(/<DrawnFor \/>/g)?.length ?? 0) < forms) {
    problems.push('each form of a signed-in action renders <DrawnFor /> (components/auth/drawn-for.tsx)');
  }
  return problems;
}

/** The forms of public actions, which no one is signed in to send: the public pages', and the sign-in form. */
const PUBLIC_FORMS = /(^|\/)app\/\(public\)\/(?!login\/verify|vendor\/login\/verify)|(^|\/)components\/auth\/sign-in-form\.tsx$/;

describe('the entry-point kit', () => {
  const files = [...filesUnder(path.join(root, 'app')), ...filesUnder(path.join(root, 'components')), ...filesUnder(path.join(root, 'lib'))];

  it('finds the entry points it checks', () => {
    const names = files.map((file) => path.basename(file));
    expect(names.filter((name) => name === 'page.tsx').length).toBeGreaterThan(20);
    expect(names.filter((name) => name === 'route.ts').length).toBeGreaterThan(3);
    expect(files.filter((file) => /^\s*['"]use server['"]/.test(readFileSync(file, 'utf8'))).length).toBeGreaterThan(8);
  });

  it('builds every page, server action and route handler with the kit', () => {
    const problems = files.flatMap((file) =>
      entryPointProblems(file, readFileSync(file, 'utf8')).map((problem) => `${path.relative(root, file)}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });

  it('catches the ways an entry can skip the kit', () => {
    expect(entryPointProblems('app/x/page.tsx', 'export default function Page() { return null; }')).not.toEqual([]);
    expect(entryPointProblems('app/x/route.ts', 'export async function POST() {}')).not.toEqual([]);
    expect(entryPointProblems('app/x/route.ts', 'export const GET = handler;')).not.toEqual([]);
    expect(entryPointProblems('app/x/route.ts', 'export { handler as POST };')).not.toEqual([]);
    expect(entryPointProblems('app/x/actions.ts', "'use server';\nexport async function doIt() {}")).not.toEqual([]);
    expect(entryPointProblems('app/x/actions.ts', "'use server';\nexport const doIt = async () => {};")).not.toEqual([]);
    expect(entryPointProblems('app/x/route.ts', "export const GET = defineRoute('x', PUBLIC, async () => new Response());")).toEqual([]);
    const readsQuery = (read: string) => `export default publicPage(async function P({ searchParams }) { const { q } = ${read}; })`;
    expect(entryPointProblems('app/x/page.tsx', readsQuery('await searchParams'))).not.toEqual([]);
    expect(entryPointProblems('app/x/page.tsx', readsQuery('await firstValues(searchParams)'))).toEqual([]);
    const twoForms = (drawn: string) => `<form action={a}>${drawn}</form><form action={b}><DrawnFor /></form>`;
    expect(entryPointProblems('app/(admin)/x/form.tsx', twoForms(''))).not.toEqual([]);
    expect(entryPointProblems('components/mfa/x-form.tsx', twoForms(''))).not.toEqual([]);
    expect(entryPointProblems('app/(admin)/x/form.tsx', twoForms('<DrawnFor />'))).toEqual([]);
    expect(entryPointProblems('app/(public)/help/x-form.tsx', twoForms(''))).toEqual([]);
  });
});

// Modules that create, hold or check secrets (sessions, passwords, temporary passwords, reset links)
// import `server-only`, so a client component that imports one fails the build. The hashing, sealing,
// token and password-making helpers are shared with the scripts (seed, mail worker, migrations,
// vendor:reset-mfa) that run outside Next.js's server bundle, where `server-only` would throw; they are
// kept out of this list.
const SECRET_MODULES = [
  'lib/auth/guards.ts',
  'lib/auth/options.ts',
  'lib/auth/browser-session.ts',
  'lib/auth/sign-in-form.ts',
  'lib/auth/change-own-password.ts',
  'lib/password-reset/reset-password-with-link.ts',
  'lib/admin/issue-temporary-password.ts',
  'lib/admin/send-reset-link.ts',
];

describe('modules that hold secrets', () => {
  it.each(SECRET_MODULES)('%s imports server-only', (file) => {
    expect(readFileSync(path.join(root, file), 'utf8')).toMatch(/^import 'server-only';$/m);
  });
});
