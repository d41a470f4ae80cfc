/** Called after each poll with its outcome, e.g. for the alarm on pollers that keep failing. */
export type PollOutcomeListener = (
  source: string,
  outcome: { ok: true } | { ok: false; error: string },
  at: Date,
) => void;
