/** The Hub answered with an error status; `status` decides whether retrying can help. */
export class HubApiError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = "HubApiError";
    this.status = status;
  }
}
