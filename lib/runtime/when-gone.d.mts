import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export declare function whenGone(response: ServerResponse, connection: Socket | null, gone: () => void): void;
