import type { IncomingMessage, ServerResponse } from 'node:http';

export declare function observeRequest(request: IncomingMessage, response: ServerResponse, context: { requestId: string; clientIp: string; internal?: boolean }): void;
