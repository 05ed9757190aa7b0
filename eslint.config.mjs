import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

// Layers. A shared layer serves every feature and knows none of them: what it needs from a
// feature comes in as plain values. Pages and components call use cases in lib/, never the
// database: the use case is where the actor's permission and agency scope are checked.
const SHARED_LAYERS = [
  'lib/audit/**',
  'lib/config.ts',
  'lib/crypto/**',
  'lib/db/**',
  'lib/format/**',
  'lib/http/**',
  'lib/mail/**',
  'lib/net/**',
  'lib/password/**',
  'lib/policy/**',
  'lib/rate-limit/**',
  'lib/result.ts',
  'lib/security/**',
  'lib/validation/**',
  'components/ui/**',
];
const FEATURES = ['admin', 'auth', 'help', 'maintenance', 'mfa', 'password-reset', 'secrets', 'status', 'super-admin', 'vendor'];
const featureImports = {
  group: [...FEATURES.flatMap((feature) => [`@/lib/${feature}`, `@/lib/${feature}/**`]), '@/app/**', '@/components/*/**', '!@/components/ui/**'],
  message: 'A shared layer must not know a feature: pass plain values down, or keep the code beside its feature.',
};
// A relative path could walk around the rule above.
const parentImports = { group: ['../*', '../**'], message: 'Import through @/ so the layer rules can see what is imported.' };
const databaseImports = {
  group: ['@/lib/db/client', '@/lib/generated/*/client', '@/lib/generated/*/client/**', '@prisma/client', '@prisma/client/**'],
  message: 'Pages and components call a use case in lib/ (which checks the actor), never the database client.',
};

// Inside a transaction, the transaction's client: on SQLite a db() call there waits for the very
// transaction it is part of, until that times out (decision 066); on PostgreSQL it is another
// connection, which neither sees the transaction's writes nor is undone with it.
const dbInsideTransaction = {
  selector: "CallExpression[callee.property.name='$transaction'] > :function CallExpression[callee.name='db']",
  message: 'Use the transaction’s client (tx) inside $transaction, never db() (decision 066).',
};

const config = [
  ...nextVitals,
  ...nextTypescript,
  { ignores: ['lib/generated/**', '.next/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts'] },
  { rules: { 'no-restricted-syntax': ['error', dbInsideTransaction] } },
  { files: SHARED_LAYERS, rules: { 'no-restricted-imports': ['error', { patterns: [featureImports, parentImports] }] } },
  { files: ['app/**', 'components/**'], rules: { 'no-restricted-imports': ['error', { patterns: [databaseImports] }] } },
  // Both rules at once: a later block's options replace an earlier one's for the same files.
  { files: ['components/ui/**'], rules: { 'no-restricted-imports': ['error', { patterns: [featureImports, parentImports, databaseImports] }] } },
];

export default config;
