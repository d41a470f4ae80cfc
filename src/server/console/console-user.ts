/** Who signed in with Hugging Face, as the console keeps it in the session cookie. */
export interface ConsoleUser {
  /** The Hub's stable id of the account (`sub`). */
  sub: string;
  /** The Hub user name (`preferred_username`). */
  name: string;
  /** Names of the orgs the user belongs to (as far as the granted scopes show them). */
  orgs: string[];
}
