import type { IncomingMessage, ServerResponse } from 'node:http';

export declare function answerFormRefusalWithPage(request: IncomingMessage, response: ServerResponse): void;
