import type { Store } from "../store/store.ts";

/** Hands back every lease this replica holds at once, so another replica need not wait for the expiry. */
export async function releasePollerLeases(input: {
  store: Store;
  holder: string;
  held: Set<string>;
  leaseName: (subject: string) => string;
}): Promise<void> {
  const { store, holder, held, leaseName } = input;
  await Promise.allSettled(
    [...held].map((subject) => store.releaseLease(leaseName(subject), holder)),
  );
  held.clear();
}
