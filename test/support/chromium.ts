import { existsSync } from "node:fs";

export interface ChromiumProbe {
  path: string;
  /** CI sets HF_BRIDGE_REQUIRE_CHROMIUM=1: there a missing browser fails the run instead of skipping. */
  required: boolean;
  available: boolean;
}

/** Debian's chromium package; tests never download a browser of their own. */
export function chromiumAvailable(): ChromiumProbe {
  const path = process.env.HF_BRIDGE_TEST_CHROMIUM ?? "/usr/bin/chromium";
  return {
    path,
    required: process.env.HF_BRIDGE_REQUIRE_CHROMIUM === "1",
    available: existsSync(path),
  };
}

/**
 * Flags for a root, headless, offline Chromium: without the background-networking ones it tries to
 * reach Google's hosts at every start, which this network refuses.
 */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
