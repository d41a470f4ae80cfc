import { type DestinationStream, type Logger, pino } from "pino";

/** Paths pino blanks in every record, in case a secret-bearing object is ever logged whole. */
const REDACTED_PATHS = [
  'headers["x-webhook-secret"]',
  "headers.authorization",
  "req.headers.authorization",
  'req.headers["x-webhook-secret"]',
  "secret",
  "token",
  "privateKey",
];

export function createLogger(
  options: { level?: string; destination?: DestinationStream } = {},
): Logger {
  return pino(
    { level: options.level ?? "info", redact: { paths: REDACTED_PATHS, censor: "[redacted]" } },
    options.destination,
  );
}
