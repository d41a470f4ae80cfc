#!/usr/bin/env node
// Plain JavaScript on purpose: a Node.js that cannot run TypeScript gets this message instead of
// ERR_UNKNOWN_FILE_EXTENSION from the first `.ts` import. Keep it in step with `engines` in package.json.

// The default export: a named import of enableCompileCache would fail to link on the old Node.js
// this file exists to turn away, before its message.
import nodeModule from "node:module";

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
// Compiled code, the TypeScript already stripped, is kept on disk between starts (in the OS temporary
// folder unless NODE_COMPILE_CACHE names one): a start after the first skips most compiling, and reaches
// its first 202 in about 60 % of the time (issue 21: spawn to first 202). Node checks each entry against
// the file's contents, so an edited file is compiled again. The SQLite thread reads the variable.
const cache = nodeModule.enableCompileCache();
if (cache.directory && process.env.NODE_COMPILE_CACHE === undefined) {
  process.env.NODE_COMPILE_CACHE = cache.directory;
}
await import("../src/cli/index.ts");
