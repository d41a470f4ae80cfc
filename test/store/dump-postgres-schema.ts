import type pg from "pg";

/**
 * One schema's tables as PostgreSQL's catalog describes them, ordered by name: each column's type,
 * nullability and default, then the table's constraints and indexes (partial predicates included).
 * NOT NULL is shown on its column, not again as a constraint (PostgreSQL 18 lists it as one). The
 * schema's own name is left out, so fresh schemas with random names compare equal.
 */
export async function dumpPostgresSchema(client: pg.ClientBase, schema: string): Promise<string> {
  const tables = await client.query<{ oid: number; name: string }>(
    `SELECT c.oid, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY c.relname`,
    [schema],
  );
  const lines: string[] = [];
  for (const table of tables.rows) {
    lines.push(`table ${table.name}`);
    const columns = await client.query<{ line: string }>(
      `SELECT concat_ws(' ', a.attname, format_type(a.atttypid, a.atttypmod),
         CASE WHEN a.attnotnull THEN 'not null' ELSE 'null' END,
         'default ' || pg_get_expr(d.adbin, d.adrelid)) AS line
       FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
      [table.oid],
    );
    for (const column of columns.rows) lines.push(`  column ${column.line}`);
    const constraints = await client.query<{ line: string }>(
      `SELECT conname || ' ' || pg_get_constraintdef(oid) AS line FROM pg_constraint
       WHERE conrelid = $1 AND contype <> 'n' ORDER BY conname`,
      [table.oid],
    );
    for (const constraint of constraints.rows) lines.push(`  constraint ${constraint.line}`);
    const indexes = await client.query<{ line: string }>(
      `SELECT i.relname || ' ' || pg_get_indexdef(x.indexrelid) AS line
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
       WHERE x.indrelid = $1 ORDER BY i.relname`,
      [table.oid],
    );
    for (const index of indexes.rows) lines.push(`  index ${index.line}`);
  }
  return `${lines.join("\n").replaceAll(`${schema}.`, "")}\n`;
}
