/** A stored error explains the failure; a whole HTML error page would only bloat the row. */
const MAX_STORED_ERROR_LENGTH = 2000;

/** The one line kept as a job's last error: the error's name and message, never its stack. */
export function describeJobError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_STORED_ERROR_LENGTH
    ? `${text.slice(0, MAX_STORED_ERROR_LENGTH - 1)}…`
    : text;
}
