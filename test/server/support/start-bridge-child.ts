import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { REPO_ROOT } from "../../support/paths.ts";

const CHILD_SCRIPT = join(REPO_ROOT, "test/server/serve-bridge-child.ts");

/**
 * Starts test/server/serve-bridge-child.ts (a bridge server over the SQLite file `dbPath`) in its own
 * process and resolves with its URL once it listens. The caller kills the child.
 */
export function startBridgeChild(
  dbPath: string,
  secret: string,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CHILD_SCRIPT, dbPath, secret], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (piece: Buffer) => {
    stderr += piece.toString();
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout as NonNullable<ChildProcess["stdout"]> }).once(
      "line",
      (line) => {
        resolve({ child, url: (JSON.parse(line) as { url: string }).url });
      },
    );
    child.once("exit", (code) =>
      reject(new Error(`child exited with ${code} before listening: ${stderr}`)),
    );
  });
}
