import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const SERVERS_DIR = join(dirname(fileURLToPath(import.meta.url)), "../servers");

/**
 * Starts bench/servers/`script` in its own process and resolves once it prints its port (its first
 * stdout line; the shipped-serve wrapper prints serve's pid on the second), under `launcher` if given.
 */
export async function startBenchServer(
  script: string,
  args: string[],
  launcher: string[] = [],
): Promise<{ child: ChildProcess; port: number; pid: number }> {
  const [command, ...launcherArgs] = [...launcher, process.execPath];
  const child = spawn(command as string, [...launcherArgs, join(SERVERS_DIR, script), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = await new Promise<string[]>((resolve, reject) => {
    child.once("exit", (code) =>
      reject(new Error(`${script} exited with code ${code} before listening`)),
    );
    child.stdout?.once("data", (chunk: Buffer) => resolve(chunk.toString().trim().split("\n")));
  });
  child.stdout?.resume();
  const pid = Number(lines[1] ?? child.pid);
  return { child, port: Number(lines[0]), pid };
}
