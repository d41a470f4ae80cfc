import { z } from "zod";
import type { EndpointWatchState } from "../endpoints/read-endpoint-watch-state.ts";
import { readCardStateBlock } from "./read-card-state-block.ts";

const STATE_BLOCK = /<!-- hf-bridge:endpoint-state=([A-Za-z0-9_-]+) -->/g;

const transition = z.object({
  state: z.string().min(1),
  at: z.string(),
  message: z.string().optional(),
});
const watchState = z.object({
  snapshot: z.looseObject({
    namespace: z.string().min(1),
    name: z.string().min(1),
    state: z.string().min(1),
  }),
  history: z.array(transition),
});

/**
 * The state block renderEndpointCardState wrote into a card body (the last one, should the text hold
 * several); undefined when there is none or it does not decode, so the endpoint counts as new.
 */
export function readEndpointCardState(body: string): EndpointWatchState | undefined {
  return readCardStateBlock(body, STATE_BLOCK, watchState) as EndpointWatchState | undefined;
}
