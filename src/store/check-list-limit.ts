/** Lists are for inspection pages; a larger page is a mistake, not a need. */
export const MAX_LIST_LIMIT = 1000;

export function checkListLimit(operation: string, limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new Error(
      `${operation}: limit ${JSON.stringify(limit)} is not an integer from 1 to ${MAX_LIST_LIMIT}; pass a page size in that range`,
    );
  }
  return limit;
}
