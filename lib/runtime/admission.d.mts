import type { ServerResponse } from 'node:http';

export declare function createAdmission(options: { limit: number; waitingLimit: number }): {
  admit(response: ServerResponse, run: () => void): boolean;
  figures(): { inFlight: number; waiting: number };
};
