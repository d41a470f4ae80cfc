import picomatch from "picomatch";
import type { EndpointWatch } from "../config/config-schema.ts";

/** Config entries that watch the endpoint: same namespace, and a name or glob covering its name. */
export function endpointWatchesMatching(
  watches: readonly EndpointWatch[],
  namespace: string,
  name: string,
): EndpointWatch[] {
  return watches.filter(
    (watch) => watch.namespace === namespace && picomatch.isMatch(name, watch.names, { dot: true }),
  );
}
