/**
 * Where the Hub's webhooks are posted unless the config says otherwise. Its own module, so the CLI's
 * commands that only print it (send-test, serve's start-up lines) do not load the server for it.
 */
export const DEFAULT_WEBHOOK_PATH = "/webhooks/huggingface";
