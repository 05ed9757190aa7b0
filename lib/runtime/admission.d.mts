import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export declare const ADMISSION_DEFAULTS: Readonly<{ limit: number; waitingLimit: number }>;

export declare function createAdmission(options: { limit: number; waitingLimit: number }): {
  admit(response: ServerResponse, run: () => void, client: string, refuse: () => void, connection?: Socket | null): boolean;
  makeRoomFor(client: string): boolean;
  figures(): { inFlight: number; waiting: number };
};
