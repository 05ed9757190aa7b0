/** What a use case answers when failing is an expected outcome: a value, or a message for a person. */
export type Result<T = undefined> =
  | { ok: true; value: T }
  /** `gone`: refused because what it was for has moved on (ActionState's `gone`). */
  | { ok: false; message: string; gone?: true };

export const REFUSED_MESSAGE = 'You are not allowed to do that.';

/**
 * Thrown by a use case called by an actor whose role may not use it. The gate (`defineAction`,
 * `defineRoute`) already refuses such actors, so reaching this means a caller skipped the gate:
 * the kit answers it as a refusal (audited, 403 or "not allowed"), never as a server error.
 */
export class Refused extends Error {
  constructor(readonly capability: string) {
    super(REFUSED_MESSAGE);
    this.name = 'Refused';
  }
}
