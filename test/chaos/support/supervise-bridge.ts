import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { cliEnv } from "../../cli/support/run-cli.ts";
import { REPO_ROOT } from "../../support/paths.ts";

const CHILD_SCRIPT = join(REPO_ROOT, "test/chaos/chaos-bridge-child.ts");
/** A child that has not announced its URL by then is stuck; on a loaded machine start-up takes seconds. */
const START_LIMIT_MS = 60_000;
/** How long the last child gets to stop on SIGTERM before it is killed. */
const STOP_LIMIT_MS = 15_000;
/** Kept per child for the report: enough to see why a job failed, not a whole log. */
const LOG_LINES_KEPT = 200;

export interface KillRecord {
  /** 1-based, in order. */
  number: number;
  /** Which bridge process died (1-based). */
  process: number;
  /** Milliseconds since the run started. */
  atMs: number;
  /** How long that process had been listening. */
  uptimeMs: number;
  trigger: string;
}

export interface BridgeSupervisor {
  /** The URL of the bridge that is up now, waiting while one (re)starts. */
  url(): Promise<string>;
  /**
   * SIGKILLs the bridge that is up, then restarts it after `downtimeMs`. With `onlyProcess`, only
   * that process is killed: a request held at the fake must not kill the process started after its
   * sender died. Resolves true when it killed.
   */
  kill(trigger: string, downtimeMs: number, onlyProcess?: number): Promise<boolean>;
  /** The number of the process that is up and listening now, if any. */
  current(): number | undefined;
  kills: KillRecord[];
  /** stderr lines of every process, newest last, each prefixed with the process number. */
  logs(): string[];
  /** Stops the bridge with SIGTERM (SIGKILL if it hangs) and restarts no more. */
  stop(): Promise<void>;
}

interface Running {
  number: number;
  child: ChildProcess;
  url: string;
  startedAt: number;
  exited: Promise<void>;
}

/**
 * Runs one bridge process at a time and restarts it after each kill, as a platform would.
 * `argument` is the JSON the child script takes; `env` its environment (credentials, secrets).
 */
export function superviseBridge(options: {
  argument: string;
  env: Record<string, string>;
  startedAt: number;
}): BridgeSupervisor {
  const kills: KillRecord[] = [];
  const logs: string[] = [];
  let processes = 0;
  let stopped = false;
  let up: Promise<Running> = start();
  let killing: Promise<boolean> | undefined;
  let listening: Running | undefined;

  function start(): Promise<Running> {
    const number = ++processes;
    const child = spawn(process.execPath, [CHILD_SCRIPT, options.argument], {
      env: cliEnv(options.env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    createInterface({ input: child.stderr as NonNullable<ChildProcess["stderr"]> }).on(
      "line",
      (line) => {
        logs.push(`[process ${number}] ${line}`);
        if (logs.length > LOG_LINES_KEPT * 4) logs.splice(0, logs.length - LOG_LINES_KEPT * 4);
      },
    );
    return new Promise<Running>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`bridge process ${number} did not listen within ${START_LIMIT_MS} ms`));
      }, START_LIMIT_MS);
      createInterface({ input: child.stdout as NonNullable<ChildProcess["stdout"]> }).once(
        "line",
        (line) => {
          clearTimeout(timer);
          const { url } = JSON.parse(line) as { url: string };
          listening = { number, child, url, startedAt: Date.now(), exited };
          resolve(listening);
        },
      );
      void exited.then(() => {
        clearTimeout(timer);
        reject(
          new Error(
            `bridge process ${number} exited before listening:\n${logs.slice(-20).join("\n")}`,
          ),
        );
      });
    });
  }

  async function killNow(
    trigger: string,
    downtimeMs: number,
    onlyProcess: number | undefined,
  ): Promise<boolean> {
    const running = await up;
    if (stopped || running.child.exitCode !== null) return false;
    if (onlyProcess !== undefined && running.number !== onlyProcess) return false;
    listening = undefined;
    running.child.kill("SIGKILL");
    await running.exited;
    const now = Date.now();
    kills.push({
      number: kills.length + 1,
      process: running.number,
      atMs: now - options.startedAt,
      uptimeMs: now - running.startedAt,
      trigger,
    });
    up = sleep(downtimeMs).then(start);
    return true;
  }

  return {
    async url() {
      for (;;) {
        if (killing) await killing;
        const running = await up;
        if (running.child.exitCode === null && !killing) return running.url;
      }
    },
    kill(trigger, downtimeMs, onlyProcess) {
      // One kill at a time: a second trigger while one is under way waits, then kills the new process.
      const previous = killing ?? Promise.resolve(false);
      const next = previous.then(() => killNow(trigger, downtimeMs, onlyProcess));
      killing = next;
      void next.finally(() => {
        if (killing === next) killing = undefined;
      });
      return next;
    },
    current: () => (listening?.child.exitCode === null ? listening.number : undefined),
    kills,
    logs: () => [...logs],
    async stop() {
      if (killing) await killing;
      stopped = true;
      // A process that never listened has already been reported by url(); nothing is left to stop.
      const running = await up.catch(() => undefined);
      if (running === undefined || running.child.exitCode !== null) return;
      running.child.kill("SIGTERM");
      const timer = setTimeout(() => running.child.kill("SIGKILL"), STOP_LIMIT_MS);
      await running.exited;
      clearTimeout(timer);
    },
  };
}
