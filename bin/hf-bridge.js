#!/usr/bin/env node
// Plain JavaScript on purpose: a Node.js that cannot run TypeScript gets this message instead of
// ERR_UNKNOWN_FILE_EXTENSION from the first `.ts` import. Keep it in step with `engines` in package.json.

/** Node.js runs `.ts` files without a flag from 22.18 (22.x line) and 23.6 (23.x line). */
const FIRST_WITH_TYPE_STRIPPING = { 22: 18, 23: 6 };

const [major, minor] = process.versions.node.split(".").map(Number);
const supported =
  major >= 24 || (major in FIRST_WITH_TYPE_STRIPPING && minor >= FIRST_WITH_TYPE_STRIPPING[major]);
if (!supported) {
  process.stderr.write(
    `hf-bridge: Node.js ${process.versions.node} cannot run it; it needs 22.18 or later (Node 24 recommended), which run TypeScript directly — fix: install Node 24, or run it through npm (npm start, npm run hf-bridge -- <command>), which uses the Node 24 that npm install puts in node_modules/.bin\n`,
  );
  process.exit(1);
}
await import("../src/cli/index.ts");
