/** OpenAPI-only annotations that JSON Schema validators either reject or misread. */
const DROPPED_KEYS = new Set(["example", "examples", "discriminator", "xml", "externalDocs"]);

/**
 * Turns an OpenAPI 3.0 schema into plain JSON Schema: `nullable: true` becomes an explicit null branch
 * (Ajv only understands `nullable` next to `type`, and GitHub puts it beside `oneOf` and `enum`), and
 * annotations and `x-*` extensions are dropped. Formats seen are collected so unknown ones
 * (`int64`, `repo.nwo`, …) can be registered as annotations instead of failing compilation.
 */
export function toJsonSchema(schema: unknown, formats: Set<string>): unknown {
  if (Array.isArray(schema)) return schema.map((item) => toJsonSchema(item, formats));
  if (schema === null || typeof schema !== "object") return schema;
  const converted: Record<string, unknown> = {};
  let nullable = false;
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED_KEYS.has(key) || key.startsWith("x-")) continue;
    if (key === "nullable") {
      nullable = value === true;
      continue;
    }
    if (key === "format" && typeof value === "string") formats.add(value);
    // `properties` maps names to schemas; the names themselves must not be filtered as keywords.
    converted[key] =
      key === "properties" && value !== null && typeof value === "object"
        ? Object.fromEntries(
            Object.entries(value).map(([name, inner]) => [name, toJsonSchema(inner, formats)]),
          )
        : toJsonSchema(value, formats);
  }
  return nullable ? { anyOf: [converted, { type: "null" }] } : converted;
}
