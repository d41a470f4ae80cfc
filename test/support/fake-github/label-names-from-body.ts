/**
 * Label names from the shapes GitHub accepts: `["bug"]`, `{ labels: ["bug"] }`,
 * `{ labels: [{ name: "bug" }] }`.
 */
export function labelNamesFromBody(body: unknown): string[] {
  const list = Array.isArray(body)
    ? body
    : body !== null && typeof body === "object" && "labels" in body
      ? (body as { labels: unknown }).labels
      : [];
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown) => {
    if (typeof item === "string") return [item];
    if (item !== null && typeof item === "object" && "name" in item) {
      const name = (item as { name: unknown }).name;
      return typeof name === "string" ? [name] : [];
    }
    return [];
  });
}
