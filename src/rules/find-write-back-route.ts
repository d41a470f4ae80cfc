import type { Route } from "../config/config-schema.ts";
import { resolveDiscussionSettings } from "./resolve-discussion-settings.ts";

type WriteBackRouting = { routed: true } | { routed: false; reason: string };

/**
 * Whether any route mirrors discussions into this GitHub repository with write-back on (and, for a
 * close, closeOnHub). Which route applies depends on the Hub discussion, known only when the job runs.
 */
export function findWriteBackRoute(
  routes: readonly Route[],
  githubRepo: string,
  write: "comment" | "close",
): WriteBackRouting {
  const wanted = githubRepo.toLowerCase();
  const targeting = routes.filter((route) => route.github.toLowerCase() === wanted);
  if (targeting.length === 0) {
    return {
      routed: false,
      reason: `no route mirrors into ${githubRepo}; add one to hf-bridge.yml`,
    };
  }
  const on = targeting.some((route) => {
    const settings = resolveDiscussionSettings(route);
    return settings?.writeBack === true && (write === "comment" || settings.closeOnHub);
  });
  if (on) return { routed: true };
  return {
    routed: false,
    reason:
      write === "comment"
        ? `discussions.writeBack is off on every route into ${githubRepo}`
        : `discussions.writeBack and closeOnHub are not both on for any route into ${githubRepo}`,
  };
}
