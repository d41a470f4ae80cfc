import { z } from "zod";
import { readCardStateBlock } from "./read-card-state-block.ts";

const STATE_BLOCK = /<!-- hf-bridge:space-state=([A-Za-z0-9_-]+) -->/g;

const spaceCardState = z.object({
  stage: z.string().min(1),
  errorMessage: z.string().optional(),
  /** Stage changes reported so far; numbers each transition's comment marker. */
  transitions: z.number().int().min(0),
});

export type SpaceCardState = z.infer<typeof spaceCardState>;

/**
 * The last state block renderSpaceCardBody wrote into a Space card; undefined when there is none or it
 * does not decode, so the Space's stage counts as new.
 */
export function readSpaceCardState(body: string): SpaceCardState | undefined {
  return readCardStateBlock(body, STATE_BLOCK, spaceCardState);
}
