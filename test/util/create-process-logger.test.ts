import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createProcessLogger } from "../../src/util/create-process-logger.ts";

/** A destination that keeps what it was given, as text. */
function capture(): { stream: Writable; text(): string } {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

describe("createProcessLogger", () => {
  it("writes one JSON object per line when stdout is not a terminal", async () => {
    const out = capture();
    const logger = await createProcessLogger({
      level: "info",
      terminal: false,
      destination: out.stream,
    });
    logger.info({ deliveryId: 7 }, "landing page: http://localhost:7860/");
    logger.debug("below the level");
    const lines = out.text().trimEnd().split("\n");
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      expect.objectContaining({
        level: 30,
        deliveryId: 7,
        msg: "landing page: http://localhost:7860/",
      }),
    ]);
  });

  it("writes pino-pretty's lines on a terminal, still redacting secrets", async () => {
    const out = capture();
    const logger = await createProcessLogger({
      level: "info",
      terminal: true,
      destination: out.stream,
    });
    logger.warn({ token: "ghp_not_for_the_log" }, "setup: acme/widgets: not installed");
    await new Promise((resolve) => setImmediate(resolve));
    const [first = ""] = out.text().split("\n");
    expect(() => JSON.parse(first) as unknown).toThrow();
    expect(first).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] .*WARN.*: .*setup: acme\/widgets: not installed/,
    );
    expect(out.text()).toContain("[redacted]");
    expect(out.text()).not.toContain("ghp_not_for_the_log");
  });
});
