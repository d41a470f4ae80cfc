import { readSseStream } from "./read-sse-stream.ts";

/** Lines asked of the Hub (`?tail=`): the end of a log is where a build says why it failed. */
const BUILD_LOG_TAIL_LINES = 200;
/** The Hub may keep a finished build's log stream open; lines stop coming this soon after the last. */
const LOG_QUIET_MS = 300;
/** The excerpt must reach the check run within a second or two of the failure, whatever the stream does. */
const LOG_READ_LIMIT_MS = 1_500;

/**
 * The last lines of a Space's build log, from its server-sent-event stream
 * (`GET /api/spaces/{name}/logs/build?tail=N`, events `{"data": <line>, "timestamp": …}`, empty
 * keep-alives). Resolves with what arrived (possibly nothing); rejects when the stream is refused.
 */
export async function spaceBuildLogTail(options: {
  fetch: typeof fetch;
  hubUrl: string;
  space: string;
  accessToken?: string;
}): Promise<string[]> {
  const url = `${options.hubUrl.replace(/\/+$/, "")}/api/spaces/${options.space}/logs/build?tail=${BUILD_LOG_TAIL_LINES}`;
  const done = new AbortController();
  const limit = setTimeout(() => done.abort(), LOG_READ_LIMIT_MS);
  let quiet: ReturnType<typeof setTimeout> | undefined;
  const lines: string[] = [];
  try {
    const response = await options.fetch(url, {
      headers: {
        accept: "text/event-stream",
        ...(options.accessToken ? { authorization: `Bearer ${options.accessToken}` } : {}),
      },
      signal: done.signal,
    });
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new Error(`GET /api/spaces/${options.space}/logs/build answered ${response.status}`);
    }
    await readSseStream(
      response.body,
      {
        onMessage: ({ data }) => {
          const line = logLine(data);
          if (line === undefined) return;
          lines.push(line);
          if (lines.length > BUILD_LOG_TAIL_LINES) lines.shift();
          clearTimeout(quiet);
          quiet = setTimeout(() => done.abort(), LOG_QUIET_MS);
        },
      },
      done.signal,
    ).catch((error: unknown) => {
      if (!done.signal.aborted) throw error;
    });
    return lines;
  } catch (error) {
    if (done.signal.aborted) return lines;
    throw error;
  } finally {
    clearTimeout(limit);
    clearTimeout(quiet);
  }
}

/** One log event's line; undefined for a keep-alive or an event that carries no line. */
function logLine(data: string): string | undefined {
  if (data.trim() === "") return undefined;
  try {
    const parsed = JSON.parse(data) as { data?: unknown };
    if (typeof parsed?.data === "string") return parsed.data.replace(/\r?\n$/, "");
    return undefined;
  } catch {
    // Not the documented JSON: the text itself is the line.
    return data;
  }
}
