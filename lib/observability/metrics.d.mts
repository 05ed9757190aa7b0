export type SignInAudience = 'agency' | 'vendor';
export type SignInStep = 'password' | 'second_factor' | 'passkey';
export type DatabaseFigures = {
  outboxPending: number;
  outboxDead: number;
  outboxOldestPendingAgeSeconds: number;
  alertFanOutsUnfinished: number;
  verificationQueueDepth: number;
  verificationQueueOldestAgeSeconds: number;
};

export declare function countSignIn(audience: SignInAudience, step: SignInStep, outcome: string): void;
export declare function countAccountLock(lock: 'temporary' | 'hard', pathway: string): void;
export declare function countRateLimitRefusal(limit: string): void;
export declare function observeRequestDuration(method: string, route: string, status: number, seconds: number): void;
export declare function provideDatabaseFigures(reader: () => Promise<DatabaseFigures>): void;
export declare function provideAdmissionFigures(figures: () => { inFlight: number; waiting: number }): void;
export declare function providePasswordHashFigures(figures: () => { running: number; waiting: number }): void;
export declare function metricsText(): Promise<{ contentType: string; text: string }>;
