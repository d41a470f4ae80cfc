/** A request the edge refuses: the status, a short status word and a reason that says how to fix it. */
export class HttpProblem extends Error {
  readonly statusCode: number;
  readonly status: string;
  readonly headers: Record<string, string>;
  /** True when the body was not read to the end, so the connection cannot be reused. */
  readonly closeConnection: boolean;

  constructor(
    statusCode: number,
    status: string,
    reason: string,
    options: { headers?: Record<string, string>; closeConnection?: boolean } = {},
  ) {
    super(reason);
    this.name = "HttpProblem";
    this.statusCode = statusCode;
    this.status = status;
    this.headers = options.headers ?? {};
    this.closeConnection = options.closeConnection ?? false;
  }
}
