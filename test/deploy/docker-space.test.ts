import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseDockerfile } from "../../scripts/space/parse-dockerfile.ts";
import { DEFAULT_PORT } from "../../src/cli/commands/serve.ts";
import { resolveStoreUrl } from "../../src/cli/resolve-store-url.ts";
import {
  CHILD_PROCESS_TEST_TIMEOUT_MS,
  type ServeProcess,
  startServe,
} from "../cli/support/run-cli.ts";
import { REPO_ROOT } from "../support/paths.ts";

const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
const dockerfile = parseDockerfile(readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8"));

let dir: string;
let serving: ServeProcess | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hf-bridge-space-"));
});

afterEach(async () => {
  await serving?.stop();
  serving = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe("the Space README front matter in the README", () => {
  it("is copyable YAML that builds the Dockerfile on the port it exposes", () => {
    const block = /<!-- space-front-matter -->\n\s*```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    // Indented under a list item in the README; the Space needs it at column 0.
    const text = (block ?? "").replace(/^ {3}/gm, "");
    const [before, front, after] = text.split(/^---$/m);
    expect([before?.trim(), after?.trim()]).toEqual(["", ""]);
    const settings = parse(front ?? "") as Record<string, unknown>;
    const exposed = dockerfile.find((step) => step.op === "EXPOSE");
    expect(settings).toMatchObject({
      sdk: "docker",
      app_port: DEFAULT_PORT,
      suggested_storage: "small",
    });
    expect(exposed).toEqual({ op: "EXPOSE", port: DEFAULT_PORT });
  });
});

describe("the Dockerfile", () => {
  it("copies the Space repository's hf-bridge.yml when there is one, and runs the CLI entry as uid 1000", () => {
    const copies = dockerfile.flatMap((step) => (step.op === "COPY" ? step.sources : []));
    expect(copies).toContain("hf-bridge.ym[l]");
    expect(dockerfile.filter((step) => step.op === "USER")).toEqual([{ op: "USER", user: "1000" }]);
    const command = dockerfile.find((step) => step.op === "CMD");
    expect(command).toEqual({ op: "CMD", argv: ["node", "bin/hf-bridge.js", "serve"] });
    for (const source of copies.filter((name) => !name.includes("["))) {
      expect(existsSync(join(REPO_ROOT, source))).toBe(true);
    }
    // The old comment told Spaces to pass a flag, which a Space cannot do.
    expect(readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8")).not.toContain("--data /data");
  });
});

describe("the store's default place", () => {
  it("is /data/bridge.db when /data is a writable directory, as on a Space with persistent storage", async () => {
    const spaceData = join(dir, "data");
    await mkdir(spaceData);
    expect(resolveStoreUrl({}, {}, "/app", spaceData)).toEqual({
      url: join(spaceData, "bridge.db"),
      shown: `${join(spaceData, "bridge.db")} (SQLite)`,
      sqliteFile: join(spaceData, "bridge.db"),
    });
  });

  it("is ./data/bridge.db without it, or when it is not a directory", async () => {
    const missing = join(dir, "no-such-dir");
    expect(resolveStoreUrl({}, {}, "/app", missing).url).toBe("/app/data/bridge.db");
    const file = join(dir, "a-file");
    await writeFile(file, "");
    expect(resolveStoreUrl({}, {}, "/app", file).url).toBe("/app/data/bridge.db");
  });

  it("gives way to --data, --store and HF_BRIDGE_STORE", async () => {
    const spaceData = join(dir, "data");
    await mkdir(spaceData);
    expect(resolveStoreUrl({ data: "state" }, {}, "/app", spaceData).url).toBe(
      "/app/state/bridge.db",
    );
    expect(resolveStoreUrl({}, { HF_BRIDGE_STORE: "/srv/b.db" }, "/app", spaceData).url).toBe(
      "/srv/b.db",
    );
    expect(resolveStoreUrl({ store: "x.db" }, {}, "/app", spaceData).url).toBe("/app/x.db");
  });
});

describe("serve on a Space", { timeout: CHILD_PROCESS_TEST_TIMEOUT_MS }, () => {
  it("shows the Hub webhook URL at the Space's public host", async () => {
    serving = await startServe(["--port", "0", "--data", dir], {
      cwd: dir,
      env: { SPACE_HOST: "acme-hf-bridge.hf.space" },
    });
    expect(serving.output()).toContain(
      "Hub webhook URL: https://acme-hf-bridge.hf.space/webhooks/huggingface",
    );
    expect(serving.landing).toBe("https://acme-hf-bridge.hf.space/");
  });
});
