/** One thing wrong with the config file, anchored where an editor can jump to it. */
export interface ConfigProblem {
  line: number;
  col: number;
  /** Where in the config, e.g. `routes[0].github`, or `YAML syntax` for a parse error. */
  where: string;
  /** What is wrong, with the value found there quoted (or "value not shown" for secrets). */
  message: string;
  fix: string;
}

export function formatConfigProblem(file: string, problem: ConfigProblem): string {
  return `${file}:${problem.line}:${problem.col} ${problem.where}: ${problem.message} — fix: ${problem.fix}`;
}
