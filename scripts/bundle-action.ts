import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** ESM output has no `require`; bundled CommonJS packages still call it for Node built-ins. */
const REQUIRE_SHIM =
  'import { createRequire as __bundleCreateRequire } from "node:module"; const require = __bundleCreateRequire(import.meta.url);';

/**
 * Bundles the GitHub Action (`src/action/index.ts`) into `<outdir>/index.js`, one self-contained ES
 * module (the action's SQLite store runs on the main thread, so no worker file ships beside it). The
 * same sources give the same bytes: no timestamps, no absolute paths, no minification.
 * `node scripts/bundle-action.ts [outdir]` (default `dist`).
 */
export async function bundleAction(outdir: string): Promise<void> {
  await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: ["src/action/index.ts"],
    outfile: resolve(outdir, "index.js"),
    bundle: true,
    platform: "node",
    target: "node24",
    format: "esm",
    banner: { js: REQUIRE_SHIM },
    legalComments: "none",
    logLevel: "warning",
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await bundleAction(resolve(process.argv[2] ?? resolve(REPO_ROOT, "dist")));
}
