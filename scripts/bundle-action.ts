import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { inlineSqlMigrations } from "./inline-sql-migrations.ts";
import { type BundledPackage, writeBundledLicenses } from "./write-bundled-licenses.ts";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** ESM output has no `require`; bundled CommonJS packages still call it for Node built-ins. */
const REQUIRE_SHIM =
  'import { createRequire as __bundleCreateRequire } from "node:module"; const require = __bundleCreateRequire(import.meta.url);';

/** Beside the bundle: the licences of the third-party code inside it. */
export const LICENSES_FILE_NAME = "licenses.txt";

/**
 * Bundles the GitHub Action (`src/action/index.ts`) into `<outdir>/index.js`, one self-contained ES
 * module (the action's SQLite store runs on the main thread, so no worker file ships beside it), and
 * the licences of every bundled package into `<outdir>/licenses.txt`. The same sources give the
 * same bytes: no timestamps, no absolute paths, no minification.
 * `node scripts/bundle-action.ts [outdir]` (default `dist`).
 */
export async function bundleAction(outdir: string): Promise<BundledPackage[]> {
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: ["src/action/index.ts"],
    outfile: resolve(outdir, "index.js"),
    bundle: true,
    platform: "node",
    target: "node24",
    format: "esm",
    banner: { js: REQUIRE_SHIM },
    // The licence texts go to licenses.txt whole; comments cut out of the code would be a partial copy.
    legalComments: "none",
    logLevel: "warning",
    plugins: [inlineSqlMigrations()],
    metafile: true,
  });
  return writeBundledLicenses(result.metafile, REPO_ROOT, resolve(outdir, LICENSES_FILE_NAME));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await bundleAction(resolve(process.argv[2] ?? resolve(REPO_ROOT, "dist")));
}
