import type { Route } from "../config/config-schema.ts";
import { normalizeGitHubWebhook } from "../events/normalize-github-webhook.ts";
import { readGitHubSignature } from "../github/read-github-signature.ts";
import { verifyGitHubSignature } from "../github/verify-github-signature.ts";
import { findWriteBackRoute } from "../rules/find-write-back-route.ts";
import { APPROVED_LABEL, planApprovalEffects } from "../rules/plan-approval-effects.ts";
import { planWorkflowRunEffects } from "../rules/plan-workflow-run-effects.ts";
import type { NewDelivery, Store } from "../store/store.ts";
import type { Handler } from "./handler.ts";
import { HttpProblem } from "./http-problem.ts";
import { keepRejectedDelivery } from "./keep-rejected-delivery.ts";
import { parseJsonBody } from "./parse-json-body.ts";
import { readBody } from "./read-body.ts";
import { requireJsonContentType } from "./require-json-content-type.ts";
import { sendJson } from "./send-json.ts";
import { storeUnavailable } from "./store-unavailable.ts";
import { storedHeaders } from "./stored-headers.ts";

/** Where GitHub delivers the App's webhooks (Probot's default path, which App settings already name). */
export const GITHUB_WEBHOOKS_PATH = "/api/github/webhooks";
/**
 * The events the bridge acts on carry at most an issue body and a comment of 65,536 characters each:
 * 1.5 MiB even if every character arrived as a 12-byte escaped surrogate pair, plus a few KiB of
 * metadata. GitHub itself allows 25 MB, which no write-back needs; anything larger gets a 413.
 */
export const GITHUB_WEBHOOK_BODY_LIMIT_BYTES = 2 * 1024 * 1024;
/** GitHub's id of one delivery, reused when a delivery is redelivered: a GUID, far below this. */
const MAX_DELIVERY_ID_LENGTH = 100;
const DELIVERY_ID = /^[A-Za-z0-9-]+$/;

interface GitHubWebhookHandlerOptions {
  store: Store;
  routes: readonly Route[];
  /** The GitHub App's webhook secret (WEBHOOK_SECRET). */
  secret: string;
  /**
   * Verifies the marker that ties an issue to the Hub discussion it mirrors. Read from the store once
   * it is needed, so a store that is down answers 503 here instead of delaying the server's start.
   */
  markerKey: () => Promise<string>;
  bodyTimeoutMs: number;
  onQueued?: () => void;
}

type Prepared = Omit<NewDelivery, "receivedAt" | "headers" | "source" | "body">;

/**
 * `POST` of a GitHub App webhook, on the same durable path as Hub deliveries: the signature is checked
 * on the raw body before anything reads it, then the delivery is stored under its `X-GitHub-Delivery`
 * id (a redelivery is a duplicate) and queued. The answer never waits for the Hub, so no Hub failure
 * can become the webhook's answer, and nothing GitHub sent is logged.
 */
export function createGitHubWebhookHandler(options: GitHubWebhookHandlerOptions): Handler {
  const { store, routes, secret, markerKey } = options;
  if (secret.length === 0) {
    throw new Error(
      "the GitHub webhook handler needs the App's webhook secret: set WEBHOOK_SECRET to the secret entered on the App's settings page",
    );
  }
  return async ({ req, res, log }) => {
    const receivedAt = new Date();
    const digest = readGitHubSignature(req.headers["x-hub-signature-256"]);
    if (digest === undefined) {
      throw unauthorized(
        "X-Hub-Signature-256 is missing or not sha256=<64 hex digits>; GitHub signs every delivery of an App that has a webhook secret — set the same secret on the App's settings page and in WEBHOOK_SECRET",
      );
    }
    requireJsonContentType(req.headers["content-type"]);
    const raw = await readBody(req, res, {
      limitBytes: GITHUB_WEBHOOK_BODY_LIMIT_BYTES,
      timeoutMs: options.bodyTimeoutMs,
    });
    if (!verifyGitHubSignature(raw, digest, secret)) {
      throw unauthorized(
        "X-Hub-Signature-256 does not match the body under WEBHOOK_SECRET; set WEBHOOK_SECRET to the secret on the GitHub App's settings page",
      );
    }

    const deliveryId = readHeader(req.headers["x-github-delivery"]);
    const eventName = readHeader(req.headers["x-github-event"]);
    if (
      deliveryId === undefined ||
      deliveryId.length > MAX_DELIVERY_ID_LENGTH ||
      !DELIVERY_ID.test(deliveryId)
    ) {
      throw new HttpProblem(
        400,
        "invalid",
        `X-GitHub-Delivery ${deliveryId === undefined ? "is missing" : `${JSON.stringify(deliveryId.slice(0, MAX_DELIVERY_ID_LENGTH))} is not a delivery id`}; GitHub sends a GUID with every delivery`,
      );
    }
    if (eventName === undefined) {
      throw new HttpProblem(
        400,
        "invalid",
        "X-GitHub-Event is missing; GitHub names the event of every delivery",
      );
    }

    let key: string;
    try {
      key = await markerKey();
    } catch (error) {
      throw storeUnavailable(error, log);
    }
    const base = { source: "github" as const, receivedAt, headers: storedHeaders(req.headers) };
    let text: string;
    let prepared: Prepared;
    try {
      const parsed = parseJsonBody(raw);
      text = parsed.text;
      prepared = prepare(eventName, parsed.value, deliveryId, routes, key);
    } catch (error) {
      if (!(error instanceof HttpProblem)) throw error;
      text = raw.toString("utf8");
      prepared = rejected(deliveryId, error.message);
    }

    if (prepared.disposition === "rejected") {
      const kept = await keepRejectedDelivery({ ...base, ...prepared, body: text }, store, log);
      sendJson(res, 400, {
        status: "rejected",
        reason: prepared.reason ?? "invalid payload",
        ...(kept === undefined ? {} : { deliveryId: kept }),
      });
      return kept === undefined ? undefined : { deliveryId: kept };
    }

    let result: Awaited<ReturnType<Store["recordDelivery"]>>;
    try {
      result = await store.recordDelivery({ ...base, ...prepared, body: text });
    } catch (error) {
      throw storeUnavailable(error, log);
    }
    const stored = result.deliveryId;
    if (result.status === "duplicate") {
      sendJson(res, 200, { status: "duplicate", deliveryId: stored });
    } else if (prepared.disposition === "ignored") {
      sendJson(res, 202, { status: "ignored", deliveryId: stored, reason: prepared.reason ?? "" });
    } else {
      sendJson(res, 202, { status: "queued", deliveryId: stored });
      options.onQueued?.();
    }
    return { deliveryId: stored };
  };
}

function prepare(
  eventName: string,
  payload: unknown,
  deliveryId: string,
  routes: readonly Route[],
  markerKey: string,
): Prepared {
  const dedupeKey = `github:${deliveryId}`;
  const reading = normalizeGitHubWebhook({ eventName, payload, markerKey });
  if (reading.outcome === "invalid") return rejected(deliveryId, reading.reason);
  if (reading.outcome === "ignored") {
    return {
      dedupeKey,
      disposition: "ignored",
      reason: reading.reason,
      ...(reading.eventKind ? { eventKind: reading.eventKind } : {}),
    };
  }
  const { event } = reading;
  if (event.kind === "github.workflow-run-completed") {
    const report = planWorkflowRunEffects(event, routes);
    if (report.effects.length > 0) return { dedupeKey, disposition: "queued", event };
    return {
      dedupeKey,
      disposition: "ignored",
      reason: report.reason ?? "",
      eventKind: event.kind,
    };
  }
  if (event.kind !== "github.issue-closed") {
    // An approval of a held Hub PR run needs no write-back; whether it counts is decided in the job.
    const approval = planApprovalEffects(event, routes);
    if (approval && approval.effects.length > 0) return { dedupeKey, disposition: "queued", event };
    if (event.kind === "github.issue-labeled") {
      return {
        dedupeKey,
        disposition: "ignored",
        reason: approval?.reason ?? `only the ${APPROVED_LABEL} label is acted on`,
        eventKind: event.kind,
      };
    }
  }
  const write = event.kind === "github.comment-created" ? "comment" : "close";
  const routing = findWriteBackRoute(routes, `${event.issue.owner}/${event.issue.name}`, write);
  if (!routing.routed) {
    return { dedupeKey, disposition: "ignored", reason: routing.reason, eventKind: event.kind };
  }
  return { dedupeKey, disposition: "queued", event };
}

/** Kept apart from accepted ones, so a bridge that learns to read the payload can take a redelivery. */
function rejected(deliveryId: string, reason: string): Prepared {
  return { dedupeKey: `github:rejected:${deliveryId}`, disposition: "rejected", reason };
}

function readHeader(value: string | string[] | undefined): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

function unauthorized(reason: string): HttpProblem {
  return new HttpProblem(401, "unauthorized", reason, { closeConnection: true });
}
