import type { IncomingMessage, ServerResponse } from 'node:http';

export declare const BODY_DEADLINE_MS: number;
export declare function hasBody(request: IncomingMessage): boolean;
export declare function whenBodyArrives(
  request: IncomingMessage,
  response: ServerResponse,
  deadlineMs?: number,
): Promise<'arrived' | 'late' | 'gone'>;
