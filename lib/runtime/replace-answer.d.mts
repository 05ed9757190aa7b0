import type { ServerResponse } from 'node:http';

export declare function replaceAnswer(response: ServerResponse, replacement: (status: number) => Buffer | { status: number; body: Buffer } | undefined): void;
