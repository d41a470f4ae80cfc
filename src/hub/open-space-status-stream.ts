import { readSseStream } from "./read-sse-stream.ts";
import type { SpaceRuntimeReading } from "./space-fetch-runtime.ts";

/** A stream whose response headers take longer than this is treated as refused; polling goes on. */
const STREAM_CONNECT_TIMEOUT_MS = 10_000;

export interface SpaceStatusStream {
  /** Ends the stream; `onEnd` is not called for it. */
  close(): void;
}

type SpaceStreamEnd =
  /** The Hub answered the request with an error status: it does not stream this Space to us. */
  | { kind: "refused"; reason: string }
  /** The connection failed or ended after it was accepted. */
  | { kind: "dropped"; reason: string };

/**
 * Subscribes to a Space's status events (`GET /api/spaces/{name}/events`, hf-apis.md §2). The payload
 * shape is not documented, so a stage is looked for where the runtime and its wrappers keep one; an
 * event without one still counts as activity. Events are de-duplicated by their SSE id (the event
 * index), which is also sent back as `Last-Event-ID` when reconnecting.
 */
export function openSpaceStatusStream(options: {
  fetch: typeof fetch;
  hubUrl: string;
  space: string;
  accessToken?: string;
  /** The last event index seen by an earlier connection, if any. */
  lastEventId?: string;
  onOpen: () => void;
  onActivity: () => void;
  onReading: (reading: SpaceRuntimeReading, eventId: string | undefined) => void;
  onEnd: (end: SpaceStreamEnd) => void;
}): SpaceStatusStream {
  const url = `${options.hubUrl.replace(/\/+$/, "")}/api/spaces/${options.space}/events`;
  const controller = new AbortController();
  let lastIndex = indexOf(options.lastEventId);
  const run = async (): Promise<SpaceStreamEnd> => {
    let response: Response;
    try {
      response = await options.fetch(url, {
        headers: {
          accept: "text/event-stream",
          ...(options.accessToken ? { authorization: `Bearer ${options.accessToken}` } : {}),
          ...(options.lastEventId ? { "last-event-id": options.lastEventId } : {}),
        },
        signal: AbortSignal.any([
          controller.signal,
          AbortSignal.timeout(STREAM_CONNECT_TIMEOUT_MS),
        ]),
      });
    } catch (error) {
      return { kind: "refused", reason: (error as Error).message };
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      return { kind: "refused", reason: `GET ${url} answered ${response.status}` };
    }
    options.onOpen();
    try {
      await readSseStream(
        response.body,
        {
          onActivity: options.onActivity,
          onMessage: ({ id, data }) => {
            const index = indexOf(id);
            if (index !== undefined && lastIndex !== undefined && index <= lastIndex) return;
            if (index !== undefined) lastIndex = index;
            const reading = readingOf(data);
            if (reading) options.onReading(reading, id);
          },
        },
        controller.signal,
      );
      return { kind: "dropped", reason: "the Hub ended the stream" };
    } catch (error) {
      return { kind: "dropped", reason: (error as Error).message };
    }
  };
  void run().then((end) => {
    if (!controller.signal.aborted) options.onEnd(end);
  });
  return { close: () => controller.abort() };
}

function indexOf(id: string | undefined): number | undefined {
  if (id === undefined || !/^\d+$/.test(id)) return undefined;
  return Number(id);
}

/** `{stage}`, `{status: {stage}}`, `{runtime: {stage}}` or `{data: {stage}}`, with errorMessage beside it. */
function readingOf(data: string): SpaceRuntimeReading | undefined {
  if (data.trim() === "") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return undefined;
  }
  const candidates = [parsed, ...["status", "runtime", "data"].map((key) => field(parsed, key))];
  for (const candidate of candidates) {
    const stage = field(candidate, "stage");
    if (typeof stage !== "string" || stage === "") continue;
    const message = field(candidate, "errorMessage") ?? field(candidate, "message");
    return {
      stage,
      ...(typeof message === "string" && message !== "" ? { errorMessage: message } : {}),
    };
  }
  return undefined;
}

function field(value: unknown, key: string): unknown {
  return value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
}
