import { type ChildProcess, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join, posix, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import picomatch from "picomatch";
import { type DockerInstruction, parseDockerfile } from "./space/parse-dockerfile.ts";
import { type ImageRoot, runInImageRoot } from "./space/run-in-image-root.ts";

// `npm run space:rehearse`: the Docker Space without Docker. It runs the Dockerfile's steps in a
// directory laid out as the image (its own /app, /data and /tmp; this machine's /usr and /etc, read
// only) with this checkout's Node 24 standing in for node:24-slim's, then the image's command as
// uid 1000 with the variables a Space sets, a /data owned by that user (persistent storage) and the
// config a Space repository carries. It posts a signed Hub delivery, restarts, and checks the
// delivery is still there. Needs Linux and root (mount namespaces, chroot, a second uid).

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** A Space runs the container as this user. */
const SPACE_UID = 1000;
/** The config the rehearsal's "Space repository" carries: it routes the sample delivery. */
const SPACE_CONFIG = "examples/first-run.yml";
const SAMPLE = "src/cli/samples/discussion.json";
/** What a Space sets in the container's environment, for a Space named acme/hf-bridge. */
const SPACE_VARIABLES = {
  SPACE_ID: "acme/hf-bridge",
  SPACE_AUTHOR_NAME: "acme",
  SPACE_REPO_NAME: "hf-bridge",
  SPACE_TITLE: "hf-github-bridge",
  SPACE_HOST: "acme-hf-bridge.hf.space",
  SYSTEM: "spaces",
};
/** Installing the production dependencies is the slow step; a cold npm cache takes a few minutes. */
const RUN_STEP_TIMEOUT_MS = 10 * 60_000;
/** The bridge opens its store and listens within seconds; this is generous for a loaded machine. */
const START_TIMEOUT_MS = 60_000;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

class RehearsalFailure extends Error {}

function fail(message: string): never {
  throw new RehearsalFailure(message);
}

function requireMachine(): void {
  if (process.platform !== "linux" || process.getuid?.() !== 0) {
    fail(
      "needs Linux and root: it mounts the image's directories in a private mount namespace and runs the bridge as uid 1000. Elsewhere, build the image with `docker build .` and run it",
    );
  }
  for (const tool of ["unshare", "chroot", "mount", "git"]) {
    try {
      execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
    } catch {
      fail(`needs ${tool} on PATH (util-linux, coreutils, git)`);
    }
  }
}

/** The Space repository: this checkout's files (tracked and new, not ignored) and a config. */
function makeBuildContext(dir: string): void {
  const files = execFileSync(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    { cwd: REPO_ROOT, encoding: "utf8" },
  )
    .split("\0")
    .filter((file) => file !== "" && file !== "hf-bridge.yml" && existsSync(join(REPO_ROOT, file)));
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(REPO_ROOT, file), join(dir, file));
  }
  cpSync(join(REPO_ROOT, SPACE_CONFIG), join(dir, "hf-bridge.yml"));
}

/**
 * This machine's way to the npm registry (its address and the CA it trusts), which a build here needs
 * as `docker build` would; the running bridge gets none of it.
 */
function registrySettings(): Record<string, string> {
  const setting = (name: string) => {
    const value = execFileSync("npm", ["config", "get", name], { encoding: "utf8" }).trim();
    return value === "" || value === "null" || value === "undefined"
      ? {}
      : { [`npm_config_${name}`]: value };
  };
  const passed = ["NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY"];
  return {
    ...setting("registry"),
    ...setting("cafile"),
    ...Object.fromEntries(
      passed.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
    ),
  };
}

function dockerIgnored(context: string): (path: string) => boolean {
  const file = join(context, ".dockerignore");
  const patterns = existsSync(file)
    ? readFileSync(file, "utf8")
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== "" && !line.startsWith("#"))
    : [];
  if (patterns.length === 0) return () => false;
  const matches = picomatch(patterns, { dot: true });
  return (path) => {
    const parts = path.split("/");
    return parts.some((_, index) => matches(parts.slice(0, index + 1).join("/")));
  };
}

/** COPY as Docker does it: a directory's contents into the destination; globs in the context root. */
function copyStep(
  step: Extract<DockerInstruction, { op: "COPY" }>,
  context: string,
  imageDir: string,
  workdir: string,
): void {
  const ignored = dockerIgnored(context);
  const sources = step.sources.flatMap((source) => {
    if (!/[*?[]/.test(source)) {
      if (!existsSync(join(context, source))) fail(`COPY ${source}: not in the build context`);
      return [source];
    }
    const matches = picomatch(source, { dot: true });
    return readdirSync(context).filter((name) => matches(name));
  });
  if (sources.length === 0) fail(`COPY ${step.sources.join(" ")}: nothing matches`);
  const destination = posix.resolve(workdir, step.destination);
  for (const source of sources.filter((name) => !ignored(name))) {
    const from = join(context, source);
    const into = statSync(from).isDirectory()
      ? join(imageDir, destination)
      : join(
          imageDir,
          step.destination.endsWith("/") ? join(destination, basename(source)) : destination,
        );
    mkdirSync(statSync(from).isDirectory() ? into : dirname(into), { recursive: true });
    cpSync(from, into, {
      recursive: true,
      filter: (path) => !ignored(relative(context, path).split("\\").join("/")),
    });
  }
}

async function waitFor(
  child: ChildProcess,
  output: () => string,
  done: (text: string) => boolean,
  what: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done(output())) {
    if (child.exitCode !== null && !done(output())) {
      fail(`${what}: the process exited (${child.exitCode}) first:\n${output()}`);
    }
    if (Date.now() > deadline) fail(`${what}: not within ${timeoutMs / 1000} s:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `serve` logs one JSON object per line when stdout is not a terminal; the rehearsal reads their messages. */
function messagesOf(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      try {
        const parsed: unknown = JSON.parse(line);
        if (
          parsed &&
          typeof parsed === "object" &&
          "msg" in parsed &&
          typeof parsed.msg === "string"
        )
          return parsed.msg;
      } catch {
        // Not JSON: npm's or Node's own output, kept as it is.
      }
      return line;
    })
    .join("\n");
}

function collect(child: ChildProcess): () => string {
  let text = "";
  child.stdout?.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  return () => text;
}

async function runToEnd(child: ChildProcess, what: string, timeoutMs: number): Promise<string> {
  const output = collect(child);
  const closed = new Promise<number | null>((resolve) => child.once("close", resolve));
  const timer = setTimeout(() => {
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
  }, timeoutMs);
  const code = await closed;
  clearTimeout(timer);
  if (code !== 0) fail(`${what} failed (${code}):\n${output()}`);
  return output();
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** Everything the rehearsal started, stopped whatever happens so nothing outlives it. */
const started = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  started.add(child);
  child.once("close", () => started.delete(child));
  return child;
}

async function stopEverything(): Promise<void> {
  for (const child of started) {
    const closed = new Promise((done) => child.once("close", done));
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    await closed;
  }
}

async function main(): Promise<void> {
  requireMachine();
  const work = mkdtempSync(join(tmpdir(), "space-rehearsal-"));
  // The image's / must be traversable by uid 1000, as a container's is.
  chmodSync(work, 0o755);
  const context = join(work, "space-repo");
  const imageDir = join(work, "image");
  mkdirSync(imageDir);
  try {
    makeBuildContext(context);
    const instructions = parseDockerfile(readFileSync(join(context, "Dockerfile"), "utf8"));
    const npmCli = realpathSync(
      execFileSync("sh", ["-c", "command -v npm"], { encoding: "utf8" }).trim(),
    );
    const root: ImageRoot = {
      dir: imageDir,
      nodeBinDir: dirname(realpathSync(join(REPO_ROOT, "node_modules/.bin/node"))),
      npmDir: dirname(dirname(npmCli)),
      npmCacheDir: execFileSync("npm", ["config", "get", "cache"], { encoding: "utf8" }).trim(),
    };
    const registry = registrySettings();
    say(
      `space:rehearse: the Space repository is this checkout with ${SPACE_CONFIG} as hf-bridge.yml`,
    );
    say(
      `RUN steps reach the npm registry with this machine's settings (${Object.keys(registry).join(", ") || "defaults"})`,
    );

    const env: Record<string, string> = {};
    let workdir = "/";
    let user = "0:0";
    let command: string[] | undefined;
    let exposed: number | undefined;
    for (const step of instructions) {
      switch (step.op) {
        case "FROM":
          say(
            `FROM ${step.image}: Node ${process.versions.node} from node_modules stands in for it`,
          );
          break;
        case "ENV":
          env[step.name] = step.value;
          say(`ENV ${step.name}=${step.value}`);
          break;
        case "WORKDIR":
          workdir = posix.resolve(workdir, step.path);
          mkdirSync(join(imageDir, workdir), { recursive: true });
          say(`WORKDIR ${workdir}`);
          break;
        case "COPY":
          copyStep(step, context, imageDir, workdir);
          say(`COPY ${step.sources.join(" ")} ${step.destination}`);
          break;
        case "RUN": {
          say(`RUN ${step.command}`);
          const started = Date.now();
          await runToEnd(
            track(
              runInImageRoot(root, {
                user,
                workdir,
                env: { ...registry, ...env, HOME: user === "0:0" ? "/root" : "/tmp" },
                argv: ["/bin/sh", "-c", step.command],
              }),
            ),
            `RUN ${step.command}`,
            RUN_STEP_TIMEOUT_MS,
          );
          say(`  done in ${Math.round((Date.now() - started) / 1000)} s`);
          break;
        }
        case "USER":
          user = /^\d+$/.test(step.user)
            ? `${step.user}:${step.user}`
            : fail(`USER ${step.user}: use a uid`);
          say(`USER ${step.user}`);
          break;
        case "EXPOSE":
          exposed = step.port;
          say(`EXPOSE ${step.port}`);
          break;
        case "CMD":
          command = step.argv;
          say(`CMD ${JSON.stringify(step.argv)}`);
          break;
      }
    }
    if (!command) fail("the Dockerfile has no CMD");
    if (user !== `${SPACE_UID}:${SPACE_UID}`)
      fail(`the image must run as uid ${SPACE_UID}, as Spaces do; it runs as ${user}`);

    // Persistent storage: /data, writable by the Space's user.
    mkdirSync(join(imageDir, "data"));
    chownSync(join(imageDir, "data"), SPACE_UID, SPACE_UID);
    const port = await freePort();
    const secret = randomBytes(16).toString("hex");
    const runtime = {
      ...env,
      ...SPACE_VARIABLES,
      HF_WEBHOOK_SECRET: secret,
      HOME: "/tmp",
      // Stands in for app_port 7860, which another bridge on this machine may hold.
      PORT: String(port),
    };
    say(
      `run as uid ${SPACE_UID} with /data, ${Object.keys(SPACE_VARIABLES).join(", ")}, the secret HF_WEBHOOK_SECRET, and PORT=${port} for app_port ${exposed ?? "?"}`,
    );

    const start = async (label: string) => {
      const child = track(runInImageRoot(root, { user, workdir, env: runtime, argv: command }));
      const raw = collect(child);
      const output = () => messagesOf(raw());
      await waitFor(
        child,
        output,
        (text) => /^landing page: /m.test(text),
        label,
        START_TIMEOUT_MS,
      );
      for (const line of output().split("\n")) {
        if (/^(store|config|Hub webhook URL|landing page): /.test(line)) say(`  ${line}`);
      }
      for (const expected of [
        "store: /data/bridge.db (SQLite)",
        "config: hf-bridge.yml (2 routes)",
        `Hub webhook URL: https://${SPACE_VARIABLES.SPACE_HOST}/webhooks/huggingface`,
      ]) {
        if (!output().includes(expected)) fail(`${label}: expected "${expected}" in:\n${output()}`);
      }
      return { child, output };
    };
    const stop = async (serving: { child: ChildProcess; output: () => string }) => {
      const closed = new Promise((done) => serving.child.once("close", done));
      if (serving.child.pid !== undefined) process.kill(-serving.child.pid, "SIGTERM");
      await closed;
      if (!/^stopped$/m.test(serving.output()))
        fail(`the bridge did not stop cleanly:\n${serving.output()}`);
      say("  SIGTERM: stopped");
    };
    const body = readFileSync(join(REPO_ROOT, SAMPLE), "utf8");
    const post = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/webhooks/huggingface`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-webhook-secret": secret },
        body,
      });
      return {
        status: response.status,
        json: (await response.json()) as { status?: string; deliveryId?: number },
      };
    };

    say("CMD, first start:");
    const first = await start("first start");
    const posted = await post();
    say(
      `  POST a signed Hub delivery (${SAMPLE}): ${posted.status} ${JSON.stringify(posted.json)}`,
    );
    if (posted.status !== 202 || posted.json.status !== "queued")
      fail("the delivery was not queued");
    await stop(first);

    say("CMD, after the restart:");
    const second = await start("second start");
    const again = await post();
    say(`  POST the same delivery again: ${again.status} ${JSON.stringify(again.json)}`);
    if (again.status !== 200 || again.json.status !== "duplicate")
      fail("the stored delivery was not found after the restart");
    const listed = await runToEnd(
      track(
        runInImageRoot(root, {
          user,
          workdir,
          env: runtime,
          argv: [...command.slice(0, -1), "deliveries", "--json"],
        }),
      ),
      "deliveries --json",
      START_TIMEOUT_MS,
    );
    const deliveries = JSON.parse(listed.slice(listed.indexOf("["))) as Array<{
      id: number;
      eventKind?: string;
    }>;
    const found = deliveries.find((delivery) => delivery.id === posted.json.deliveryId);
    say(
      `  deliveries --json (in the image, as uid ${SPACE_UID}): delivery ${posted.json.deliveryId} ${found ? "found" : "MISSING"}`,
    );
    if (!found) fail(`delivery ${posted.json.deliveryId} is not in:\n${listed}`);
    await stop(second);
    const stored = statSync(join(imageDir, "data/bridge.db"));
    if (stored.uid !== SPACE_UID)
      fail(`/data/bridge.db belongs to uid ${stored.uid}, not ${SPACE_UID}`);
    say(`  /data/bridge.db: ${stored.size} bytes, owned by uid ${stored.uid}`);
    say("space:rehearse: passed");
  } finally {
    await stopEverything();
    // Only now: the mounts lived in the processes' own namespaces, gone with them.
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  if (!(error instanceof RehearsalFailure)) throw error;
  process.stderr.write(`space:rehearse: FAILED: ${error.message}\n`);
  process.exitCode = 1;
}
