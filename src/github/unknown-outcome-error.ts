/**
 * GitHub may or may not have performed the request (5xx, timeout, dropped connection). A create that
 * fails this way must look for its object by marker before it is ever sent again.
 */
export class UnknownOutcomeError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status: number | undefined) {
    super(message);
    this.name = "UnknownOutcomeError";
    this.status = status;
  }
}
