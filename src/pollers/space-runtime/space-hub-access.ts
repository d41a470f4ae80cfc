/** Where and as whom the poller reads the Hub's Space runtime, build logs and status streams. */
export interface SpaceHubAccess {
  fetch: typeof fetch;
  hubUrl: string;
  accessToken?: string;
}

/** The access token is sent only when there is one (public Spaces need none). */
export function spaceHubAccess(options: SpaceHubAccess): SpaceHubAccess {
  return {
    fetch: options.fetch,
    hubUrl: options.hubUrl,
    ...(options.accessToken ? { accessToken: options.accessToken } : {}),
  };
}
