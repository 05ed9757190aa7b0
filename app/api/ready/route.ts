import { defineRoute, PUBLIC } from '@/lib/auth/guards';
import { readinessAnswer } from '@/lib/runtime/readiness-answer';

export const dynamic = 'force-dynamic';

/** Readiness for load balancers: 200 when this instance can serve sign-ins, 503 with the reason otherwise. */
export const GET = defineRoute('ready', PUBLIC, readinessAnswer);
