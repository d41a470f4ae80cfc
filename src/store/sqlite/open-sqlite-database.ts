import { DatabaseSync } from "node:sqlite";
import { migrateSqlite } from "./migrate-sqlite.ts";

/** Opens the file durable (WAL, synchronous=FULL: a resolved write survives a power cut) and migrated. */
export function openSqliteDatabase(path: string, busyTimeoutMs: number): DatabaseSync {
  const db = new DatabaseSync(path);
  try {
    db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
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
