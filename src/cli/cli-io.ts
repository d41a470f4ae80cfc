/** What a command may touch of the outside world, passed in so every command reads the same. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Whether stdout is a terminal: `serve` logs pretty lines there, JSON lines otherwise. */
  terminal: boolean;
  /** One line of results or progress for the user (stdout). */
  out(line: string): void;
  /** One line of warnings or errors (stderr). */
  err(line: string): void;
}
