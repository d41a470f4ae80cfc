import { createHash, timingSafeEqual } from "node:crypto";
import express from "express";

// The receiver that Hub-webhook guides recommend, as the issue describes it: Express, `express.json`,
// a constant-time secret check, nothing stored. A reference point only: it keeps nothing.
const expected = createHash("sha256").update("bench-secret").digest();
const app = express();
app.post("/webhooks/huggingface", express.json({ limit: "1mb" }), (request, response) => {
  const presented = createHash("sha256")
    .update(request.header("x-webhook-secret") ?? "")
    .digest();
  if (!timingSafeEqual(presented, expected)) {
    response.status(401).json({ error: "invalid secret" });
    return;
  }
  response.status(200).json({ status: "ok" });
});
// An optional port, so a cold-start measurement can knock before it listens.
const server = app.listen(Number(process.argv[2] ?? 0), "127.0.0.1", () => {
  const address = server.address();
  if (address && typeof address === "object") process.stdout.write(`${address.port}\n`);
});
