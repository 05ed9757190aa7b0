import type { Server } from 'node:http';

export declare const DRAIN_MS: number;
export declare function logCannotStart(variable: string | null, problem: string): void;
export declare function splitProblem(text: string): [string | null, string];
export declare function askSelf(hostname: string, port: number, path: string): Promise<unknown>;
export declare function refuseToServeIfUnfit(): Promise<unknown>;
export declare function listen(server: Server, port: number, hostname: string, onListening?: () => void): void;
export declare function installGracefulShutdown(server: Server, options?: { drainMs?: number }): void;
