import { effectsOfOutcome } from "./effects-of-outcome.ts";
import type { EffectResult, JobOutcome } from "./store.ts";

/**
 * The recorded effect results a finished job's outcome does not already hold (an effect an earlier
 * attempt ran that the last plan no longer had), so a store keeps each result once: the outcome
 * holds the rest, and `effectsOfOutcome` gives them back.
 */
export function resultsOutsideOutcome(
  recorded: Record<string, EffectResult>,
  outcome: JobOutcome,
): Record<string, EffectResult> {
  const inOutcome = effectsOfOutcome(outcome);
  return Object.fromEntries(
    Object.entries(recorded).filter(
      ([key, result]) => JSON.stringify(inOutcome[key]) !== JSON.stringify(result),
    ),
  );
}
