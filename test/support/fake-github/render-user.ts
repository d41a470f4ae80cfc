import type { FakeUser } from "./types.ts";

export function renderUser(user: FakeUser, baseUrl: string): Record<string, unknown> {
  return {
    login: user.login,
    id: user.id,
    node_id: `U_${user.id}`,
    type: user.type,
    site_admin: false,
    url: `${baseUrl}/users/${encodeURIComponent(user.login)}`,
    html_url: `https://github.com/${encodeURIComponent(user.login)}`,
  };
}
