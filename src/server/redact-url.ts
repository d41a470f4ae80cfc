const REDACTED = "[redacted]";

/**
 * The request target with the value of every `secret` query parameter blanked, for logs. Keys are
 * compared decoded (`secre%74=` is still `secret`), because that is how the Hub webhook handler reads them.
 */
export function redactUrl(target: string | undefined): string {
  if (target === undefined) return "";
  const queryStart = target.indexOf("?");
  if (queryStart === -1) return target;
  const hashStart = target.indexOf("#", queryStart);
  const queryEnd = hashStart === -1 ? target.length : hashStart;
  const parts = target.slice(queryStart + 1, queryEnd).split("&");
  const redacted = parts.map((part) => {
    const equals = part.indexOf("=");
    const rawKey = equals === -1 ? part : part.slice(0, equals);
    const key = [...new URLSearchParams(`${rawKey}=`).keys()][0];
    return key === "secret" ? `${rawKey}=${REDACTED}` : part;
  });
  return `${target.slice(0, queryStart)}?${redacted.join("&")}${target.slice(queryEnd)}`;
}
