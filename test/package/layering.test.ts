import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { listSourceFiles } from "../support/list-source-files.ts";
import { REPO_ROOT } from "../support/paths.ts";

// src/layers.json lists src/'s folders top → bottom; a folder may import only itself and the folders
// below it, so data flows one way and no two folders need each other. A subfolder belongs to its
// top-level folder (src/store/sqlite is store). Type-only imports count: a type is a dependency too.

const SRC = join(REPO_ROOT, "src");
const LAYERS_FILE = "src/layers.json";
const FIX_BACKWARD =
  "move what both files need into a folder below both (effects, text, util, …), or, if the importing folder really belongs lower, reorder src/layers.json and CONTRIBUTING.md's folder map";

interface Layers {
  layers: string[];
  pure: Record<string, { mayNotImport: string[]; builtins: string[] }>;
}

const layers = JSON.parse(readFileSync(join(REPO_ROOT, LAYERS_FILE), "utf8")) as Layers;

/** Every module specifier a file names: imports and re-exports (type-only too), `import()` and `import("…")` types. */
function specifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const path = (file: string): string => relative(REPO_ROOT, file).split("\\").join("/");
const folderOf = (file: string): string => relative(SRC, file).split(/[\\/]/)[0] as string;
const rank = (folder: string): number => layers.layers.indexOf(folder);

/** file → the src/ files it imports (relative specifiers) and the built-in modules it names. */
const graph = new Map<string, { files: string[]; builtins: string[] }>();
for (const file of listSourceFiles(SRC)) {
  const files: string[] = [];
  const builtins: string[] = [];
  for (const specifier of specifiers(file)) {
    if (specifier.startsWith(".")) {
      const target = resolve(dirname(file), specifier);
      if (target.startsWith(SRC) && existsSync(target)) files.push(target);
    } else if (specifier.startsWith("node:")) {
      builtins.push(specifier);
    }
  }
  graph.set(file, { files, builtins });
}

function backwardImports(): string[] {
  const broken: string[] = [];
  for (const [file, { files }] of graph) {
    const from = folderOf(file);
    for (const target of files) {
      const to = folderOf(target);
      if (from === to || rank(from) < 0 || rank(to) < 0 || rank(from) < rank(to)) continue;
      broken.push(
        `${path(file)} imports ${path(target)}, but ${from}/ is below ${to}/ in ${LAYERS_FILE} (a folder may import only itself and the folders listed after it): ${FIX_BACKWARD}`,
      );
    }
  }
  return broken;
}

/** Folder-level cycles (strongly connected components of more than one folder), each with one import per edge. */
function folderCycles(): string[] {
  const edges = new Map<string, Map<string, string>>();
  for (const [file, { files }] of graph) {
    for (const target of files) {
      const from = folderOf(file);
      const to = folderOf(target);
      if (from === to) continue;
      const out = edges.get(from) ?? new Map<string, string>();
      if (!out.has(to)) out.set(to, `${path(file)} → ${path(target)}`);
      edges.set(from, out);
    }
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[] = [];
  const connect = (folder: string): void => {
    index.set(folder, index.size);
    low.set(folder, index.get(folder) as number);
    stack.push(folder);
    for (const next of edges.get(folder)?.keys() ?? []) {
      if (!index.has(next)) connect(next);
      if (stack.includes(next)) {
        low.set(folder, Math.min(low.get(folder) as number, low.get(next) as number));
      }
    }
    if (low.get(folder) !== index.get(folder)) return;
    const component = stack.splice(stack.indexOf(folder));
    if (component.length < 2) return;
    const via = component.flatMap((from) =>
      [...(edges.get(from) ?? [])].filter(([to]) => component.includes(to)).map(([, how]) => how),
    );
    cycles.push(
      `folders ${component.join(", ")} import each other (${via.join("; ")}): no folder-level cycle is allowed; ${FIX_BACKWARD}`,
    );
  };
  for (const folder of edges.keys()) if (!index.has(folder)) connect(folder);
  return cycles;
}

/** What a pure folder reaches, file by file through its imports: no I/O folder and no built-in but the allowed ones. */
function impureReaches(): string[] {
  const broken: string[] = [];
  for (const [folder, rule] of Object.entries(layers.pure)) {
    const how = `${folder}/ plans and does no I/O (${LAYERS_FILE} "pure": it may not reach ${rule.mayNotImport.join(", ")} or a built-in module other than ${rule.builtins.join(", ")}): do the I/O in an executor and hand the planner its result as input`;
    const seen = new Set<string>();
    const queue = [...graph.keys()]
      .filter((file) => folderOf(file) === folder)
      .map((file) => [file] as string[]);
    for (const chain of queue) {
      const file = chain.at(-1) as string;
      if (seen.has(file)) continue;
      seen.add(file);
      const via =
        chain.length > 1 ? ` (reached from ${chain.slice(0, -1).map(path).join(" → ")})` : "";
      for (const builtin of graph.get(file)?.builtins ?? []) {
        if (!rule.builtins.includes(builtin)) {
          broken.push(`${path(file)} imports ${builtin}${via}: ${how}`);
        }
      }
      for (const target of graph.get(file)?.files ?? []) {
        if (rule.mayNotImport.includes(folderOf(target))) {
          broken.push(`${path(file)} imports ${path(target)}${via}: ${how}`);
        } else {
          queue.push([...chain, target]);
        }
      }
    }
  }
  return broken;
}

describe(`the layers (${LAYERS_FILE}: src/'s folders top → bottom)`, () => {
  it("lists every folder under src/ once", () => {
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    const unlisted = folders.filter((folder) => rank(folder) < 0);
    expect(
      unlisted,
      `add each folder to "layers" in ${LAYERS_FILE} at its place in the data flow (below every folder that imports it, above every folder it imports) and give it a row in CONTRIBUTING.md's folder map`,
    ).toEqual([]);
    expect(layers.layers.filter((folder) => !folders.includes(folder))).toEqual([]);
    expect(new Set(layers.layers).size, "a folder is listed twice").toBe(layers.layers.length);
  });

  it("has every folder import only itself and the folders below it", () => {
    expect(backwardImports()).toEqual([]);
    // The scan must see the imports it guards, or the check above proves nothing.
    expect(graph.get(join(SRC, "store", "store.ts"))?.files.length).toBeGreaterThan(0);
  });

  it("has no folder-level import cycle", () => {
    expect(folderCycles()).toEqual([]);
  });

  it("keeps the pure folders (rules/) away from I/O", () => {
    expect(impureReaches()).toEqual([]);
  });

  it("is the map CONTRIBUTING.md shows", () => {
    const text = readFileSync(join(REPO_ROOT, "CONTRIBUTING.md"), "utf8");
    const shown = text.split("```json\n")[1]?.split("\n```")[0];
    expect(
      shown && JSON.parse(shown),
      `CONTRIBUTING.md shows ${LAYERS_FILE} in its first json block; copy the file there`,
    ).toEqual(layers);
  });
});
