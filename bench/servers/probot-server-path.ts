/** Where the Probot reference server takes GitHub deliveries (Probot's default path). */
export const PROBOT_WEBHOOK_PATH = "/api/github/webhooks";
