/** An API timestamp as a reader wants it (`2023-10-26 12:41:53 UTC`); anything else as sent. */
export function endpointTime(timestamp: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(timestamp);
  return match ? `${match[1]} ${match[2]} UTC` : timestamp;
}
