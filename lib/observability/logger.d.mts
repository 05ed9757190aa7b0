import type { Logger } from 'pino';

export declare const logger: Logger;
/** Only for the access line: no redaction pass (its fields are fixed, its path already redacted). */
export declare const accessLogger: Logger;
export declare function runInRequestScope<T>(requestId: string, run: () => T): T;
export declare function runOutsideRequests<T>(run: () => T): T;
export declare function errorFields(error: unknown): { error: { type?: string; code?: unknown; message: string; stack?: string } };
export declare function routeConsoleToLog(): void;
