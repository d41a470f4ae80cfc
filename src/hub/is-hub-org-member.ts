import { type HubReadOptions, sendHubRead } from "./send-hub-read.ts";

/** One small listing page; a Hub that has not answered by then fails the attempt, which is retried. */
const HUB_MEMBERS_TIMEOUT_MS = 30_000;
/** Pages of members read; an organisation past this many is asked to list its CI users in `trusted`. */
const MAX_MEMBER_PAGES = 50;

/**
 * Whether `user` is a member of the Hub organisation `org`, from `GET /api/organizations/{org}/members`
 * (every `Link: rel="next"` page on the same Hub). 404 means `org` is a user, not an organisation:
 * nobody is its member. Other failures are thrown, so the job is retried.
 */
export async function isHubOrgMember(
  org: string,
  user: string,
  options: HubReadOptions,
): Promise<boolean> {
  const base = options.hubUrl.replace(/\/+$/, "");
  const origin = new URL(base).origin;
  let next: string | undefined = `${base}/api/organizations/${encodeURIComponent(org)}/members`;
  for (let page = 0; next !== undefined && page < MAX_MEMBER_PAGES; page += 1) {
    const response = await sendHubRead(next, HUB_MEMBERS_TIMEOUT_MS, options);
    if (response.status === 404) {
      await response.body?.cancel();
      return false;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(
        `reading the members of Hub organisation ${org} failed: the Hub answered ${response.status}; check HF_TOKEN can read the organisation`,
      );
    }
    const members = (await response.json()) as Array<{ user?: unknown; name?: unknown }>;
    if (!Array.isArray(members)) {
      throw new Error(`the Hub's member list of ${org} is not a list; check HF_ENDPOINT`);
    }
    if (members.some((member) => member.user === user || member.name === user)) return true;
    const link = /<([^>]+)>\s*;\s*rel="?next"?/.exec(response.headers.get("link") ?? "")?.[1];
    const target = link ? URL.parse(link, origin) : null;
    next = target && target.origin === origin ? target.href : undefined;
  }
  return false;
}
