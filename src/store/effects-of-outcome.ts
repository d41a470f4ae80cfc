import type { EffectResult, JobOutcome } from "./store.ts";

/** A finished job's effect results by idempotency key, as its outcome lists them. */
export function effectsOfOutcome(outcome: JobOutcome | undefined): Record<string, EffectResult> {
  return Object.fromEntries(
    (outcome?.effects ?? []).map(({ effect, result }) => [effect.idempotencyKey, result]),
  );
}
