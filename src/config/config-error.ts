import type { ConfigProblem } from "./config-problem.ts";

/** A problem inside a config file, with the file, for tools that point at lines (CI annotations). */
export interface LocatedConfigProblem extends ConfigProblem {
  file: string;
}

/**
 * The config file cannot be used; `problems` holds one formatted line per problem, in file order,
 * and `located` the same problems as data when they are inside the file (not, e.g., a missing file).
 */
export class ConfigError extends Error {
  readonly problems: string[];
  readonly located: LocatedConfigProblem[];
  constructor(problems: string[], located: LocatedConfigProblem[] = []) {
    super(
      problems.length === 1
        ? `invalid configuration: ${problems[0]}`
        : `invalid configuration (${problems.length} problems):\n${problems.join("\n")}`,
    );
    this.name = "ConfigError";
    this.problems = problems;
    this.located = located;
  }
}
