/** What one `npm run bench` does, read once from the environment and passed to every section. */
export interface BenchSettings {
  /** Seconds of each closed-loop (wrk) measurement, and of the load in the memory section. */
  seconds: number;
  /** Unmeasured load each server takes first, so JIT warm-up is not counted. */
  warmupSeconds: number;
  /** Interleaved rounds; every figure is the median of its rounds, with their range. */
  rounds: number;
  /** Seconds each open-loop rate is held. */
  openSeconds: number;
  /** Seconds after the load before the last RSS reading. */
  afterLoadSeconds: number;
  /** Requests counted per server under callgrind, after as many uncounted. */
  instructionRequests: number;
  /** Rounds under callgrind; one by default, since each start under valgrind is slow. */
  instructionRounds: number;
  postgresUrl: string | undefined;
}

export function readBenchSettings(env: NodeJS.ProcessEnv): BenchSettings {
  return {
    seconds: readWholeNumber(env, "BENCH_SECONDS", 4, 1),
    warmupSeconds: readWholeNumber(env, "BENCH_WARMUP_SECONDS", 1, 0),
    rounds: readWholeNumber(env, "BENCH_ROUNDS", 3, 1),
    openSeconds: readWholeNumber(env, "BENCH_OPEN_SECONDS", 20, 1),
    afterLoadSeconds: readWholeNumber(env, "BENCH_AFTER_LOAD_SECONDS", 60, 0),
    instructionRequests: readWholeNumber(env, "BENCH_INSTRUCTION_REQUESTS", 300, 1),
    instructionRounds: readWholeNumber(env, "BENCH_INSTRUCTION_ROUNDS", 1, 1),
    postgresUrl: env.BENCH_POSTGRES_URL || undefined,
  };
}

function readWholeNumber(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  least: number,
): number {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < least) {
    throw new Error(
      `${name}=${JSON.stringify(text)} is not a whole number ≥ ${least}; unset it for the default ${fallback} or give e.g. ${name}=${fallback}`,
    );
  }
  return value;
}
