import type { IncomingMessage, ServerResponse } from "node:http";
import type { BridgeConfig } from "../../config/config-schema.ts";
import { eventRepo } from "../../events/bridge-event.ts";
import { isSecretHeader } from "../../store/is-secret-header.ts";
import {
  DELIVERY_STATES,
  type DeliveryQuery,
  type DeliveryState,
  type RerunResult,
  type Store,
} from "../../store/store.ts";
import type { HandlerTable } from "../create-bridge-request-handler.ts";
import { escapeHtml } from "../escape-html.ts";
import type { Handler } from "../handler.ts";
import { HttpProblem } from "../http-problem.ts";
import { sendJson } from "../send-json.ts";
import { CONSOLE_REFRESH_SCRIPT } from "./console-refresh-script.ts";
import {
  CALLBACK_PATH,
  type ConsoleAccess,
  type ConsoleAuth,
  LOGIN_PATH,
  LOGOUT_PATH,
} from "./create-console-auth.ts";
import { readFormBody } from "./read-form-body.ts";
import { redactPayload } from "./redact-payload.ts";
import { REFRESH_SCRIPT_PATH, renderConsoleLayout } from "./render-console-layout.ts";
import { type DeadLetterFilter, renderDeadLettersPage } from "./render-dead-letters-page.ts";
import { renderDeliveriesPage } from "./render-deliveries-page.ts";
import { renderDeliveryDetailPage } from "./render-delivery-detail-page.ts";
import { renderPreviewPage } from "./render-preview-page.ts";
import { renderReplayConfirmationPage } from "./render-replay-confirmation-page.ts";
import { renderRerunConfirmationPage } from "./render-rerun-confirmation-page.ts";

/** Rows on one console page: a screenful at 1440 px, a few swipes at 390 px. */
const PAGE_SIZE = 25;
/** The API's largest page; scripts page on with `before`. */
const MAX_API_PAGE = 200;
/** Dead letters one Replay-all can take at once (the store's largest list). */
const MAX_REPLAY_SET = 1000;
/** Deliveries a config preview plans for unless the form says otherwise. */
const DEFAULT_PREVIEW_DELIVERIES = 20;

/** Scripts and styles from this origin only, nothing framed, forms posted here only. */
const CONSOLE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

interface ConsoleHandlersOptions {
  store: Store;
  auth: ConsoleAuth;
  /** The running config, for the preview's side-by-side column. */
  config: BridgeConfig;
  /** Wakes the worker after a replay. */
  onQueued?: () => void;
}

/**
 * The operator console (/console…), its sign-in paths and the same data as JSON (/api/…). Every
 * page and endpoint asks `auth` who is asking; the public gets the sign-in page or a 401.
 */
export function createConsoleHandlers(options: ConsoleHandlersOptions): HandlerTable {
  const { store, auth } = options;

  /** The delivery `?id=` names, or a 404 that says why it may be missing. */
  async function storedDelivery(url: URL) {
    const id = positiveId(url.searchParams.get("id"), "id");
    const detail = await store.getDeliveryDetail(id);
    if (!detail) throw deliveryNotStored(id);
    return detail;
  }

  /** A console page for allowed visitors; everyone else gets the sign-in page. */
  const page =
    (
      render: (
        access: Exclude<ConsoleAccess, { kind: "public" }>,
        request: Parameters<Handler>[0],
      ) => Promise<string>,
    ): Handler =>
    async (request) => {
      const access = auth.identify(request.req);
      if (access.kind === "public") {
        sendHtml(
          request.res,
          access.refused ? 403 : 401,
          renderSignInPage(access, auth.signInAvailable, request.url),
        );
        return undefined;
      }
      sendHtml(request.res, 200, await render(access, request));
      return undefined;
    };

  /** A JSON endpoint: a session, the local-only rule or the API token. */
  const api =
    (
      answer: (
        access: ConsoleAccess,
        request: Parameters<Handler>[0],
      ) => Promise<Record<string, unknown>>,
    ): Handler =>
    async (request) => {
      const access = auth.identify(request.req);
      if (access.kind === "public") {
        throw new HttpProblem(
          401,
          "unauthorized",
          access.refused ??
            "sign in with Hugging Face at /login (a user or org in console.allow), or send `Authorization: Bearer <HF_BRIDGE_API_TOKEN>`",
          { headers: { "www-authenticate": 'Bearer realm="hf-bridge api"' } },
        );
      }
      sendJson(request.res, 200, { status: "ok", ...(await answer(access, request)) });
      return undefined;
    };

  async function replay(jobIds: number[]): Promise<{ replayed: number[]; notDead: number[] }> {
    const replayed: number[] = [];
    const notDead: number[] = [];
    for (const jobId of jobIds) {
      // Re-queued through the store; a job that is no longer dead (already replayed) is left alone.
      if (await store.replayDeadLetter(jobId)) replayed.push(jobId);
      else notDead.push(jobId);
    }
    if (replayed.length > 0) options.onQueued?.();
    return { replayed, notDead };
  }

  /** The operator's forced re-run, the same store path as `hf-bridge replay --delivery <id> --force`. */
  async function rerun(deliveryId: number): Promise<RerunResult> {
    const result = await store.rerunDelivery(deliveryId);
    if (result.status === "requeued") options.onQueued?.();
    return result;
  }

  async function deadLetters(filter: DeadLetterFilter) {
    const letters = await store.listDeadLetters({ limit: MAX_REPLAY_SET });
    return letters.filter(
      (letter) =>
        (!filter.hubRepo || eventRepo(letter.event)?.name === filter.hubRepo) &&
        (!filter.eventKind || letter.event.kind === filter.eventKind),
    );
  }

  return {
    [LOGIN_PATH]: { GET: auth.login },
    [CALLBACK_PATH]: { GET: auth.callback },
    [LOGOUT_PATH]: {
      POST: async (request) => {
        const form = await readFormBody(request.req, request.res);
        auth.checkCsrf(auth.identify(request.req), form.get("csrf") ?? undefined);
        return auth.logout(request);
      },
    },
    [REFRESH_SCRIPT_PATH]: {
      GET: async ({ res }) => {
        res.writeHead(200, {
          "content-type": "text/javascript; charset=utf-8",
          "cache-control": "no-cache",
          "x-content-type-options": "nosniff",
        });
        res.end(CONSOLE_REFRESH_SCRIPT);
        return undefined;
      },
    },
    "/console": {
      GET: page(async (access, { url }) => {
        const query = deliveryQuery(url, PAGE_SIZE);
        return renderDeliveriesPage(access, query, await store.listDeliveryPage(query));
      }),
    },
    "/console/delivery": {
      GET: page(async (access, { url }) => {
        const detail = await storedDelivery(url);
        const rerunStatus = url.searchParams.get("rerun");
        return renderDeliveryDetailPage(
          access,
          detail,
          rerunStatus === null ? undefined : rerunNotice(rerunStatus),
        );
      }),
    },
    "/console/rerun": {
      POST: async (request) => {
        const access = auth.identify(request.req);
        const form = await readFormBody(request.req, request.res);
        auth.checkCsrf(access, form.get("csrf") ?? undefined);
        const id = positiveId(form.get("deliveryId"), "deliveryId");
        if (form.get("confirm") === "yes") {
          const result = await rerun(id);
          request.res.writeHead(303, {
            location: `/console/delivery?id=${id}&rerun=${result.status}`,
          });
          request.res.end();
          return undefined;
        }
        const delivery = await store.getDelivery(id);
        if (!delivery) throw deliveryNotStored(id);
        sendHtml(request.res, 200, renderRerunConfirmationPage(access, delivery));
        return undefined;
      },
    },
    "/console/dead-letters": {
      GET: page(async (access, { url }) => {
        const filter = deadLetterFilter(url.searchParams);
        const replayed = url.searchParams.get("replayed");
        const notDead = url.searchParams.get("notDead");
        const notice =
          replayed === null
            ? undefined
            : `Replayed ${replayed} job(s)${notDead && notDead !== "0" ? `; ${notDead} were no longer dead (already replayed) and were left alone` : ""}. They run again shortly: see Deliveries.`;
        return renderDeadLettersPage(access, await deadLetters(filter), filter, notice);
      }),
    },
    "/console/replay": {
      POST: async (request) => {
        const access = auth.identify(request.req);
        const form = await readFormBody(request.req, request.res);
        auth.checkCsrf(access, form.get("csrf") ?? undefined);
        const chosen = form.getAll("jobId").map((value) => positiveId(value, "jobId"));
        if (form.get("confirm") === "yes") {
          const { replayed, notDead } = await replay(chosen);
          request.res.writeHead(303, {
            location: `/console/dead-letters?replayed=${replayed.length}&notDead=${notDead.length}`,
          });
          request.res.end();
          return undefined;
        }
        const all = await deadLetters(deadLetterFilter(form));
        const letters =
          form.get("all") === "1" ? all : all.filter((letter) => chosen.includes(letter.jobId));
        sendHtml(request.res, 200, renderReplayConfirmationPage(access, letters));
        return undefined;
      },
    },
    "/console/preview": {
      GET: page(async (access) =>
        renderPreviewPage(access, { text: "", last: DEFAULT_PREVIEW_DELIVERIES }, undefined),
      ),
      POST: async (request) => {
        const access = auth.identify(request.req);
        const form = await readFormBody(request.req, request.res);
        auth.checkCsrf(access, form.get("csrf") ?? undefined);
        const text = form.get("config") ?? "";
        const last = Number(form.get("last") ?? DEFAULT_PREVIEW_DELIVERIES);
        // The planners and their Markdown parser, loaded at the first preview rather than at start-up.
        const { previewConfig } = await import("./preview-config.ts");
        const preview = await previewConfig({ text, running: options.config, store, last });
        sendHtml(
          request.res,
          200,
          renderPreviewPage(
            access as Exclude<ConsoleAccess, { kind: "public" }>,
            { text, last },
            preview,
          ),
        );
        return undefined;
      },
    },
    "/api/deliveries": {
      GET: api(async (_access, { url }) => {
        const limit = url.searchParams.has("limit")
          ? positiveId(url.searchParams.get("limit"), "limit")
          : PAGE_SIZE;
        if (limit > MAX_API_PAGE) {
          throw new HttpProblem(
            400,
            "bad-request",
            `limit ${limit} is over ${MAX_API_PAGE}; page on with before=<nextBeforeId>`,
          );
        }
        return { ...(await store.listDeliveryPage(deliveryQuery(url, limit))) };
      }),
    },
    "/api/delivery": {
      GET: api(async (_access, { url }) => {
        const detail = await storedDelivery(url);
        const headers = Object.fromEntries(
          Object.entries(detail.headers).filter(([name]) => !isSecretHeader(name)),
        );
        return { delivery: { ...detail, headers, body: redactPayload(detail.body) } };
      }),
    },
    "/api/dead-letters": {
      GET: api(async (_access, { url }) => {
        const letters = await deadLetters(deadLetterFilter(url.searchParams));
        return { deadLetters: letters.map(({ body: _body, ...letter }) => letter) };
      }),
    },
    "/api/queue": {
      GET: api(async () => ({ ...(await store.countJobs(new Date())) })),
    },
    "/api/replay": {
      POST: async (request) => {
        const access = auth.identify(request.req);
        // Scripts post JSON with the bearer token; a session posts its CSRF token in a header.
        auth.checkCsrf(access, headerValue(request.req, "x-csrf-token"));
        const form = await readFormBody(request.req, request.res);
        const ids = (form.get("jobIds") ?? "")
          .split(",")
          .filter(Boolean)
          .map((value) => positiveId(value, "jobIds"));
        if (ids.length === 0) {
          throw new HttpProblem(
            400,
            "bad-request",
            "name the dead jobs to replay as jobIds=1,2,3 (urlencoded form)",
          );
        }
        sendJson(request.res, 200, { status: "ok", ...(await replay(ids)) });
        return undefined;
      },
    },
    "/api/rerun": {
      POST: async (request) => {
        const access = auth.identify(request.req);
        auth.checkCsrf(access, headerValue(request.req, "x-csrf-token"));
        const form = await readFormBody(request.req, request.res);
        const id = positiveId(form.get("deliveryId"), "deliveryId");
        const result = await rerun(id);
        switch (result.status) {
          case "requeued": {
            const answer = { status: "ok", deliveryId: id, jobId: result.jobId, requeued: true };
            sendJson(request.res, 200, answer);
            return undefined;
          }
          case "live":
            throw new HttpProblem(
              409,
              "conflict",
              `delivery #${id}'s job ${result.jobId} is still ${result.jobState}; wait until GET /api/delivery?id=${id} shows it done or dead, then post again`,
            );
          case "no-job":
            throw new HttpProblem(
              409,
              "conflict",
              `delivery #${id} was ${result.disposition}, so it has no job to run; change what made it ${result.disposition} (a route in the config), then have the Hub send a new event`,
            );
          case "missing":
            throw deliveryNotStored(id, "; pick an id from GET /api/deliveries");
        }
      },
    },
  };
}

/** What the detail page says after Run again, by the store's answer. */
function deliveryNotStored(id: number, advice = ""): HttpProblem {
  return new HttpProblem(
    404,
    "not-found",
    `no delivery #${id} is stored (pruned, or never received)${advice}`,
  );
}

function rerunNotice(status: string): string {
  switch (status) {
    case "requeued":
      return "Queued to run again with its effects cleared; this page follows it until it is done.";
    case "live":
      return "Not run again: its job is still queued or running. Wait until it is done or dead.";
    case "no-job":
      return "Not run again: this delivery was not queued, so it has no job.";
    default:
      return "Not run again: the delivery is no longer stored.";
  }
}

function renderSignInPage(
  access: Extract<ConsoleAccess, { kind: "public" }>,
  signInAvailable: boolean,
  url: URL,
): string {
  const next = encodeURIComponent(`${url.pathname}${url.search}`);
  const refused = access.refused
    ? `<p class="notice problem" id="refused">${escapeHtml(access.refused)}</p>`
    : "";
  const action = signInAvailable
    ? `<p><a class="primary" id="sign-in" href="${LOGIN_PATH}?next=${next}">Sign in with Hugging Face</a></p>`
    : `<p class="notice">Sign in with Hugging Face is off for this bridge (no OAuth app configured), so the console opens only on the bridge's own machine.</p>`;
  return renderConsoleLayout({
    title: "Operator console",
    access,
    body: `${refused}<p>The console lists deliveries, their effects and dead letters, which name repositories (private ones included). It is for the users and orgs in <code>console.allow</code>.</p>${action}<p><a href="/">Back to the setup page</a></p>`,
  });
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(html),
    "cache-control": "no-store",
    "content-security-policy": CONSOLE_CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
  });
  res.end(html);
}

function deliveryQuery(url: URL, limit: number): DeliveryQuery {
  const params = url.searchParams;
  const state = params.get("state") || undefined;
  if (state !== undefined && !DELIVERY_STATES.includes(state as DeliveryState)) {
    throw new HttpProblem(
      400,
      "bad-request",
      `state ${JSON.stringify(state)} is not one of ${DELIVERY_STATES.join(", ")}`,
    );
  }
  const before = params.get("before");
  return {
    limit,
    ...(before ? { beforeId: positiveId(before, "before") } : {}),
    ...(state ? { state: state as DeliveryState } : {}),
    ...(params.get("repo") ? { hubRepo: params.get("repo") as string } : {}),
    ...(params.get("event") ? { eventKind: params.get("event") as string } : {}),
  };
}

function deadLetterFilter(params: URLSearchParams): DeadLetterFilter {
  return {
    ...(params.get("repo") ? { hubRepo: params.get("repo") as string } : {}),
    ...(params.get("event") ? { eventKind: params.get("event") as string } : {}),
  };
}

function positiveId(value: string | null, name: string): number {
  const id = Number(value);
  if (!Number.isInteger(id) || id < 1) {
    throw new HttpProblem(
      400,
      "bad-request",
      `${name} ${JSON.stringify(value)} is not a positive integer; pass e.g. ${name}=12`,
    );
  }
  return id;
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
