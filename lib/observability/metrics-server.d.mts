import type { Server } from 'node:http';

export declare function metricsSettings(env?: Record<string, string | undefined>, appPort?: number): { port: number; host: string } | null;
export declare function startMetricsServer(appPort: number): Server | null;
