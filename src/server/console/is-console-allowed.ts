import type { ConsoleUser } from "./console-user.ts";

/**
 * Whether `console.allow` names the user or one of their orgs. Hub names are matched without regard
 * to case, as the Hub resolves them.
 */
export function isConsoleAllowed(user: ConsoleUser, allow: readonly string[]): boolean {
  const names = new Set(allow.map((name) => name.toLowerCase()));
  return [user.name, ...user.orgs].some((name) => names.has(name.toLowerCase()));
}
