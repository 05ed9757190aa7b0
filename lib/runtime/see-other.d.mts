import type { IncomingMessage, ServerResponse } from 'node:http';

export declare function seeOtherAfterPost(request: IncomingMessage, response: ServerResponse): void;
