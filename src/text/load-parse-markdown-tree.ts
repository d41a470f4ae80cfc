import { createRequire } from "node:module";
import type { parseMarkdownTree } from "./parse-markdown-tree.ts";

const requireHere = createRequire(import.meta.url);

/**
 * The Markdown parser, loaded at the first parse instead of with the app: its ~160 modules took
 * ~60 ms of `serve`'s spawn to first 202 (issue 21), which needs no parse, and prose is sanitised
 * without one. `require` loads an ES module synchronously (Node 22.12 and later), so every caller
 * stays synchronous and Node's module cache keeps the one copy. The Action's bundle has no files to
 * require, so scripts/bundle-action.ts replaces this module with a static import.
 */
export function loadParseMarkdownTree(): typeof parseMarkdownTree {
  const loaded = requireHere(
    "./parse-markdown-tree.ts",
  ) as typeof import("./parse-markdown-tree.ts");
  return loaded.parseMarkdownTree;
}
