/** A run takes about a minute; the limit only stops a hung one, the report says what it saw. */
export const CHAOS_TEST_TIMEOUT_MS = 175_000;
