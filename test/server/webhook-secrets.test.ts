import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/config-schema.ts";
import { prepareWebhookSecrets } from "../../src/hf/prepare-webhook-secrets.ts";
import { splitSecretList } from "../../src/hf/split-secret-list.ts";
import { verifySecret } from "../../src/hf/verify-secret.ts";
import { createBridgeServer } from "../../src/server/create-bridge-server.ts";
import { redactUrl } from "../../src/server/redact-url.ts";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.ts";
import { createLogger } from "../../src/util/create-logger.ts";

const FIX = "set HF_WEBHOOK_SECRET to the ASCII secret you typed into the Hub webhook form";

describe("splitSecretList", () => {
  it("reads one secret, several for rotation, or none", () => {
    expect(splitSecretList(undefined)).toEqual([]);
    expect(splitSecretList("  ")).toEqual([]);
    expect(splitSecretList("abc")).toEqual(["abc"]);
    expect(splitSecretList("old, new")).toEqual(["old", "new"]);
    expect(splitSecretList("old,")).toEqual(["old", ""]);
  });
});

describe("prepareWebhookSecrets", () => {
  it("refuses to start without a secret unless allowUnsigned is set", () => {
    expect(() => prepareWebhookSecrets([])).toThrow(
      /no webhook secret is configured.*allowUnsigned/,
    );
    expect(() => prepareWebhookSecrets([])).toThrow(FIX);
    expect(prepareWebhookSecrets([], { allowUnsigned: true })).toEqual({ kind: "unsigned" });
  });

  it("refuses an empty or non-ASCII secret with an instruction and without quoting it", () => {
    expect(() => prepareWebhookSecrets(["good", ""])).toThrow(
      `HF_WEBHOOK_SECRET entry 2 of 2 is empty (a stray comma?); ${FIX}`,
    );
    let message = "";
    try {
      prepareWebhookSecrets(["sécret-naïve"]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      `HF_WEBHOOK_SECRET entry 1 of 1 contains a character that is not printable ASCII; ${FIX}`,
    );
  });

  it("keeps an explicit secret even when allowUnsigned is set", () => {
    expect(prepareWebhookSecrets(["s"], { allowUnsigned: true }).kind).toBe("secrets");
  });
});

describe("verifySecret", () => {
  const secrets = prepareWebhookSecrets(["first", "second"]);

  it("accepts any configured secret from the header or the query", () => {
    expect(verifySecret({ header: "first" }, secrets)).toEqual({ ok: true });
    expect(verifySecret({ query: "second" }, secrets)).toEqual({ ok: true });
    expect(verifySecret({ header: "second", query: "second" }, secrets)).toEqual({ ok: true });
  });

  it("refuses a missing, wrong, prefixed or disagreeing secret", () => {
    for (const presented of [
      {},
      { header: "firs" },
      { header: "first " },
      { query: "third" },
      { header: "first", query: "second" },
    ]) {
      expect(verifySecret(presented, secrets).ok).toBe(false);
    }
  });

  it("lets anything through only in unsigned mode", () => {
    expect(verifySecret({}, prepareWebhookSecrets([], { allowUnsigned: true }))).toEqual({
      ok: true,
    });
  });
});

describe("redactUrl", () => {
  it.each([
    ["/webhooks/huggingface", "/webhooks/huggingface"],
    ["/w?secret=abc", "/w?secret=[redacted]"],
    ["/w?a=1&secret=abc&b=2", "/w?a=1&secret=[redacted]&b=2"],
    ["/w?secret=abc&secret=def", "/w?secret=[redacted]&secret=[redacted]"],
    ["/w?secre%74=abc", "/w?secre%74=[redacted]"],
    ["/w?secret", "/w?secret=[redacted]"],
    ["/w?secretive=keep#secret=frag", "/w?secretive=keep#secret=frag"],
  ])("%s → %s", (target, expected) => {
    expect(redactUrl(target)).toBe(expected);
  });
});

describe("createBridgeServer start-up checks", () => {
  it("refuses to start without secrets or with bad options, naming the option", async () => {
    const store = await createSqliteStore({ path: ":memory:" });
    const base = {
      store,
      config: configSchema.parse({}),
      logger: createLogger({ level: "silent" }),
      mode: "dry-run" as const,
      port: 0,
    };
    try {
      await expect(createBridgeServer({ ...base, secrets: [] })).rejects.toThrow(/allowUnsigned/);
      await expect(createBridgeServer({ ...base, secrets: ["naïve"] })).rejects.toThrow(FIX);
      await expect(
        createBridgeServer({ ...base, secrets: ["s"], path: "webhooks" }),
      ).rejects.toThrow('createBridgeServer: path "webhooks" is not valid; start it with "/"');
      await expect(
        createBridgeServer({ ...base, secrets: ["s"], bodyLimitBytes: 0 }),
      ).rejects.toThrow("bodyLimitBytes 0 is not valid");
      await expect(
        createBridgeServer({ ...base, secrets: ["s"], publicUrl: "bridge.example.com" }),
      ).rejects.toThrow(
        'publicUrl "bridge.example.com" is not valid; use the http(s) base address',
      );
    } finally {
      await store.close();
    }
  });
});
