// GitHub limits the bridge checks before sending, so a violation fails locally as a permanent error
// instead of a 422 (or a suspended integration). Each links to where GitHub describes it.

/**
 * An issue comment longer than this is refused with 422 "Body is too long (maximum is 65536 characters)";
 * issue bodies are held to it too (their cap is not documented separately). https://docs.github.com/en/rest/issues/comments#create-an-issue-comment
 */
export const ISSUE_COMMENT_BODY_MAX_CHARS = 65_536;

/** `output.summary` and `output.text` are each capped by "maximum bytesize", i.e. UTF-8 bytes. https://docs.github.com/en/rest/checks/runs#create-a-check-run */
export const CHECK_RUN_TEXT_MAX_BYTES = 65_535;

/** More annotations must go in further PATCH requests, which append. https://docs.github.com/en/rest/checks/runs#update-a-check-run */
export const CHECK_RUN_ANNOTATIONS_PER_REQUEST = 50;

/** An annotation title longer than this is refused. https://docs.github.com/en/rest/checks/runs#create-a-check-run */
export const CHECK_RUN_ANNOTATION_TITLE_MAX_CHARS = 255;

/** `repository_dispatch` refuses a longer `event_type`. https://docs.github.com/en/rest/repos/repos#create-a-repository-dispatch-event */
export const DISPATCH_EVENT_TYPE_MAX_CHARS = 100;

/** "No more than 10 properties are allowed" at the top level of `client_payload`. https://docs.github.com/en/rest/repos/repos#create-a-repository-dispatch-event */
export const DISPATCH_CLIENT_PAYLOAD_MAX_KEYS = 10;

/** "client_payload is too large" at 64 KB; the serialized payload must stay under it. https://docs.github.com/en/rest/repos/repos#create-a-repository-dispatch-event */
export const DISPATCH_CLIENT_PAYLOAD_MAX_BYTES = 65_535;

/** `inputs` of a workflow_dispatch: "The maximum number of properties is 25" (OpenAPI maxProperties). https://docs.github.com/en/rest/actions/workflows#create-a-workflow-dispatch-event */
export const WORKFLOW_DISPATCH_MAX_INPUTS = 25;

/** GitHub asks integrations to wait at least a second between mutating requests. https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#pause-between-mutative-requests */
export const MIN_MS_BETWEEN_WRITES = 1000;

/** Writes that notify people (issues, comments) are spaced 3 s apart, as octokit/plugin-throttling does. https://github.com/octokit/plugin-throttling.js/blob/main/src/index.ts */
export const MIN_MS_BETWEEN_CONTENT_WRITES = 3000;

/** Secondary limit on content-creating requests per minute. https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits */
export const CONTENT_WRITES_PER_MINUTE = 80;

/** Secondary limit on content-creating requests per hour; the binding limit on the bridge's output. https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits */
export const CONTENT_WRITES_PER_HOUR = 500;

/** With no `retry-after` on a secondary limit, GitHub asks for at least a minute's wait. https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit */
export const SECONDARY_LIMIT_DEFAULT_WAIT_MS = 60_000;
