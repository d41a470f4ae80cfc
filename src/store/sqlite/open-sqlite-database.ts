import { DatabaseSync } from "node:sqlite";
import { migrateSqlite } from "./migrate-sqlite.ts";

/** Waiting this long for another process's write lock beats answering 503 at the first contention. */
const BUSY_TIMEOUT_MS = 5000;

/** Opens the file durable (WAL, synchronous=FULL: a resolved write survives a power cut) and migrated. */
export function openSqliteDatabase(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  try {
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = FULL");
    db.exec("PRAGMA foreign_keys = ON");
    migrateSqlite(db, path);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
