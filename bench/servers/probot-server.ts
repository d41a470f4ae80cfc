import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:http";
import { createNodeMiddleware, Probot } from "probot";
import { PROBOT_WEBHOOK_PATH } from "./probot-server-path.ts";

// Probot 14's own webhook middleware as a GitHub App runs it: the deliveries are GitHub's scheme
// (`x-hub-signature-256`, an HMAC of the body), not the Hub's shared secret, so the sender signs each
// one; the handler does nothing, and nothing is stored. A reference point beside Express.

// A throwaway key: Probot requires one, and no request here ever authenticates as the app. A cold-start
// measurement passes one in, so generating it is not counted as Probot's start-up.
const privateKey =
  process.env.BENCH_PROBOT_PRIVATE_KEY ||
  generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
const probot = new Probot({ appId: 1, privateKey, secret: "bench-secret", logLevel: "warn" });
const middleware = await createNodeMiddleware(
  (app) => {
    app.on("issue_comment.created", async () => {});
  },
  { probot, webhooksPath: PROBOT_WEBHOOK_PATH },
);
const server = createServer((request, response) => {
  middleware(request, response, () => {
    response.writeHead(404).end();
  });
});
// An optional port, so a cold-start measurement can knock before it listens.
server.listen(Number(process.argv[2] ?? 0), "127.0.0.1", () => {
  const address = server.address();
  if (address && typeof address === "object") process.stdout.write(`${address.port}\n`);
});
