/**
 * The seed of a chaos run: HF_BRIDGE_CHAOS_SEED to repeat one, else a new one each run (printed with
 * the report, so any failure can be repeated). The seed fixes what is sent, which GitHub writes fail
 * how and when the bridge dies; how the processes interleave still depends on the machine.
 */
export function chaosSeed(): number {
  const given = process.env.HF_BRIDGE_CHAOS_SEED;
  if (given === undefined || given === "") return Math.floor(Math.random() * 2 ** 31);
  const seed = Number(given);
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new Error(
      `HF_BRIDGE_CHAOS_SEED ${JSON.stringify(given)} is not a seed; use a whole number such as 42 (a report prints the seed it used)`,
    );
  }
  return seed;
}
