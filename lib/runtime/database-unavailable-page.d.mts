import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestScope } from '../observability/logger.mjs';

export declare function answerDatabaseUnavailable(request: IncomingMessage, response: ServerResponse, scope: RequestScope): void;
export declare function plainPage(title: string, main: string): string;
