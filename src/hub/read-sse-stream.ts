import { createParser, type EventSourceMessage } from "eventsource-parser";

/** A line longer than this is not a log line or a status event; the stream is given up instead. */
const MAX_SSE_BUFFER_CHARS = 1_000_000;

/**
 * Feeds a server-sent-event body to eventsource-parser until it ends or `signal` aborts; every chunk,
 * a keep-alive comment included, counts as activity (`onActivity`), so a silent stream can be told
 * from a quiet one.
 */
export async function readSseStream(
  body: ReadableStream<Uint8Array>,
  handlers: { onMessage: (message: EventSourceMessage) => void; onActivity?: () => void },
  signal?: AbortSignal,
): Promise<void> {
  const parser = createParser({
    maxBufferSize: MAX_SSE_BUFFER_CHARS,
    onEvent: handlers.onMessage,
  });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  const cancel = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener("abort", cancel, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      handlers.onActivity?.();
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } finally {
    signal?.removeEventListener("abort", cancel);
    reader.releaseLock();
  }
}
