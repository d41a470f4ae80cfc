/** The lease that makes one replica of several the follower of a Space. */
export function spacePollerLeaseName(space: string): string {
  return `space-poller:${space}`;
}
