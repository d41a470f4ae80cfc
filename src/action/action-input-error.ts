/** A bad action input or dispatch payload: the message names it, quotes it and says how to fix it. */
export class ActionInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ActionInputError";
  }
}
