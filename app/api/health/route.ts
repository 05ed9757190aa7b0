import { defineRoute, PUBLIC } from '@/lib/auth/guards';
import { readinessAnswer } from '@/lib/runtime/readiness-answer';

export const dynamic = 'force-dynamic';

/** Alias of /api/ready, kept for the guide's connection check and existing probes. */
export const GET = defineRoute('health', PUBLIC, readinessAnswer);
