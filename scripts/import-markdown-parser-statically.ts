import type { Plugin } from "esbuild";

const LOADER_MODULE = /[\\/]src[\\/]text[\\/]load-parse-markdown-tree\.ts$/;

/**
 * The sources load the Markdown parser with `require` at its first use (src/text/
 * load-parse-markdown-tree.ts); the Action's bundle ships without the files that would find, so there
 * the loader is a static import of the same module, bundled with the rest.
 */
export function importMarkdownParserStatically(): Plugin {
  return {
    name: "import-markdown-parser-statically",
    setup(build) {
      build.onLoad({ filter: LOADER_MODULE }, () => ({
        contents: [
          'import { parseMarkdownTree } from "./parse-markdown-tree.ts";',
          "export function loadParseMarkdownTree() { return parseMarkdownTree; }",
        ].join("\n"),
        loader: "ts",
      }));
    },
  };
}
