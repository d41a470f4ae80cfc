/** States the API leaves on its own within minutes; watching them closely shows the outcome sooner. */
const TRANSITIONAL_STATES = new Set(["pending", "initializing", "updating"]);

export function isTransitionalState(state: string): boolean {
  return TRANSITIONAL_STATES.has(state);
}
