import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { listSourceFiles } from "../support/list-source-files.ts";
import { REPO_ROOT } from "../support/paths.ts";

// The Docker Space image installs with `npm install --omit=dev` and runs src/ directly, so a runtime
// import of a devDependency would crash it at start, and a dependency nothing imports only adds weight.

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
};

/** Module specifiers that survive type stripping: value imports, re-exports and dynamic imports. */
function runtimeSpecifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isImportDeclaration(node) &&
      !node.importClause?.isTypeOnly &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isExportDeclaration(node) &&
      !node.isTypeOnly &&
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
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; undefined for relative and built-in modules. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("node:")) return undefined;
  if (builtinModules.includes(specifier)) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

const importsByPackage = new Map<string, string[]>();
for (const file of listSourceFiles(join(REPO_ROOT, "src"))) {
  for (const specifier of runtimeSpecifiers(file)) {
    const name = packageOf(specifier);
    if (!name) continue;
    importsByPackage.set(name, [...(importsByPackage.get(name) ?? []), relative(REPO_ROOT, file)]);
  }
}

describe("production dependencies (what `npm install --omit=dev` gives the Docker image)", () => {
  it("every package that src/ imports at run time is in dependencies", () => {
    const missing = [...importsByPackage]
      .filter(([name]) => !Object.hasOwn(manifest.dependencies, name))
      .map(([name, files]) => `${name} (imported by ${files.join(", ")})`);
    expect(missing).toEqual([]);
    // The scan itself must see the imports it guards, or the check above proves nothing.
    expect(importsByPackage.get("zod")?.length).toBeGreaterThan(0);
  });

  it("every dependency is imported by src/ at run time", () => {
    const unused = Object.keys(manifest.dependencies).filter((name) => !importsByPackage.has(name));
    expect(unused).toEqual([]);
  });
});
