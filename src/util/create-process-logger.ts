import { type DestinationStream, destination, type Logger } from "pino";
import { createLogger } from "./create-logger.ts";

interface ProcessLoggerOptions {
  level: string;
  /** Whether the lines go to a terminal (`process.stdout.isTTY`): pretty lines there, JSON elsewhere. */
  terminal: boolean;
  /** Where the lines go; stdout when absent. */
  destination?: DestinationStream;
}

/**
 * The logger of a running bridge, through which every line it prints goes: one JSON object per line
 * for log collectors (and Spaces) when stdout is not a terminal, pino-pretty's lines on a terminal.
 */
export async function createProcessLogger(options: ProcessLoggerOptions): Promise<Logger> {
  if (!options.terminal) {
    return createLogger({
      level: options.level,
      // Synchronous, as the pretty printer below: a line logged just before the process ends (a
      // fatal start-up error, "stopped") is written before it ends, in the order it was logged.
      destination: options.destination ?? destination({ dest: 1, sync: true }),
    });
  }
  // Loaded only here, so a start-up with JSON lines does not pay for the pretty printer.
  const { default: pretty } = await import("pino-pretty");
  return createLogger({
    level: options.level,
    destination: pretty({
      // Synchronous, so the lines of a process that exits right after them are not lost.
      sync: true,
      translateTime: "SYS:HH:MM:ss.l",
      ignore: "pid,hostname",
      ...(options.destination ? { destination: options.destination } : {}),
    }),
  });
}
