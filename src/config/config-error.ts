/** The config file cannot be used; `problems` holds one formatted line per problem, in file order. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      problems.length === 1
        ? `invalid configuration: ${problems[0]}`
        : `invalid configuration (${problems.length} problems):\n${problems.join("\n")}`,
    );
    this.name = "ConfigError";
    this.problems = problems;
  }
}
