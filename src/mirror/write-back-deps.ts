import type { Logger } from "pino";
import type { BridgeConfig } from "../config/config-schema.ts";
import type { OctokitFactory } from "../github/create-octokit-factory.ts";
import type { HubClient } from "../hub/create-hub-client.ts";
import type { Store } from "../store/store.ts";

/** What the GitHub → Hub handlers work with; built once at start-up. */
export interface WriteBackDeps {
  config: BridgeConfig;
  store: Store;
  octokitFactory: OctokitFactory;
  /** A Hub client holding HF_TOKEN (write access to the mirrored repos). */
  hub: HubClient;
  /** Verifies the marker that ties a GitHub issue to its Hub discussion. */
  markerKey: string;
  log: Logger;
}

export type WriteBackOutcome =
  | { action: "posted"; hubCommentId: string }
  | { action: "closed" }
  | { action: "ignored"; reason: string };
