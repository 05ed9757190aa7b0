// Runs in each test worker before the test files: points the app's config at the
// throw-away database of this project (SQLite or PostgreSQL).
import { inject } from 'vitest';

process.env.DATABASE_URL = inject('databaseUrl');
process.env.NEXTAUTH_SECRET ??= 'test-secret-that-is-long-enough-for-next-auth-0001';
