/**
 * A value put into text the bridge writes on GitHub, tagged with where it came from, because that
 * decides how it is made safe. Renderers take only these, never bare strings, so no value can reach
 * GitHub without saying what it is.
 * - `hubText`: plain text from the Hub or the Endpoints API (a title, a user id, a repo name, a ref,
 *   a status message). Shown as written; it can never format, mention, reference or command.
 * - `hubUrl`: a link from the Hub; it stays a working link and can never break out of one.
 * - `hubMarkdown`: Markdown written on the Hub (a post); it keeps its formatting where it stands as a
 *   block of its own, and is shown as plain text anywhere else.
 * - `bridge`: text the bridge wrote itself (fixed words, or a fragment it already rendered).
 */
export type HubValue =
  | { hubText: string }
  | { hubUrl: string }
  | { hubMarkdown: string }
  | { bridge: string };

/**
 * Where in the output a value lands, as GitHub will parse it:
 * - `prose`: Markdown text (paragraphs, headings, table cells, link text);
 * - `block`: a paragraph of its own at the top level (only Markdown values use the difference);
 * - `html`: inside a raw HTML tag or HTML block;
 * - `autolink`: between the `<` and `>` of an autolink;
 * - `url`: a link destination, a link definition, an image, or an autolink after its `<scheme:`;
 * - `literal-link`: inside a bare `https://…` or `www.…` link that GitHub finds in text;
 * - `code-span`: an inline code span or an indented code block;
 * - `fenced-code`: a fenced code block at the top level, where lines may follow each other;
 * - `title`: an issue or check-run title, which GitHub shows as plain text but links references in.
 */
export type ValueContext =
  | "prose"
  | "block"
  | "html"
  | "autolink"
  | "url"
  | "literal-link"
  | "code-span"
  | "fenced-code"
  | "title";
