import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createSqliteStore } from "./sqlite/create-sqlite-store.ts";
import type { Store } from "./store.ts";

const ACCEPTED_FORMS =
  '"sqlite:<path>", a bare file path (e.g. "data/bridge.db"), or "postgres://user@host:5432/db[?schema=name]"';

/** Opens the store a URL names: SQLite for a file, PostgreSQL for a postgres:// URL. */
export async function createStore(url: string): Promise<Store> {
  const trimmed = url.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    const parsed = new URL(trimmed);
    const schema = parsed.searchParams.get("schema") ?? undefined;
    parsed.searchParams.delete("schema");
    // Loaded only for a postgres:// URL: the driver is not needed by the embedded store.
    const { createPostgresStore } = await import("./postgres/create-postgres-store.ts");
    return createPostgresStore({ connectionString: parsed.toString(), schema });
  }
  const path = trimmed.toLowerCase().startsWith("sqlite:")
    ? trimmed.slice("sqlite:".length)
    : hasScheme(trimmed)
      ? undefined
      : trimmed;
  if (!path) {
    throw new Error(
      `store URL ${JSON.stringify(maskPassword(url))} is not one the bridge can open; use ${ACCEPTED_FORMS}`,
    );
  }
  const absolute = resolve(path);
  // Synchronous on purpose: the SQLite thread is then spawned before this call first yields, so it
  // starts while the caller goes on loading modules (which leave no turn for an async callback).
  mkdirSync(dirname(absolute), { recursive: true });
  return createSqliteStore({ path: absolute });
}

/** A scheme of two or more letters; a single letter is a Windows drive (C:\data\bridge.db). */
function hasScheme(value: string): boolean {
  return /^[a-z][a-z0-9+.-]+:/i.test(value);
}

function maskPassword(value: string): string {
  try {
    const parsed = new URL(value);
    if (!parsed.password) return value;
    parsed.password = "***";
    return parsed.toString();
  } catch {
    return value;
  }
}
