import type { Logger } from 'pino';

export declare const logger: Logger;
/** Only for the access line: no redaction pass (its fields are fixed, its path already redacted). */
export declare const accessLogger: Logger;
/** One request's scope: its id, and what the app marked on it while serving it. */
export type RequestScope = { requestId: string; databaseUnavailable?: boolean };
export declare function runInRequestScope<T>(request: string | RequestScope, run: () => T): T;
/** One round of background work: every line it logs carries `roundId`, an id of its own. */
export declare function runInRoundScope<T>(run: () => T): T;
export declare function markDatabaseUnavailable(): void;
export declare function runOutsideRequests<T>(run: () => T): T;
export declare function errorFields(error: unknown): { error: { type?: string; code?: unknown; message: string; stack?: string } };
export declare function routeConsoleToLog(): void;
