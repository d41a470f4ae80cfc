import type { OperationRequest, Reply } from "./types.ts";

/** GitHub's list endpoints default to 30 items per page and cap `per_page` at 100. */
const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

/** One page of `items` as GitHub answers it, with a `Link` header naming the neighbouring pages. */
export function paginate(items: unknown[], request: OperationRequest): Reply {
  const perPage = Math.min(
    MAX_PER_PAGE,
    Math.max(1, Number(request.query.get("per_page") ?? DEFAULT_PER_PAGE)),
  );
  const page = Math.max(1, Number(request.query.get("page") ?? 1));
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const links: string[] = [];
  const linkTo = (target: number, rel: string) => {
    const url = new URL(request.url);
    url.searchParams.set("per_page", String(perPage));
    url.searchParams.set("page", String(target));
    links.push(`<${request.baseUrl}${url.pathname}${url.search}>; rel="${rel}"`);
  };
  if (page > 1) linkTo(page - 1, "prev");
  if (page < lastPage) linkTo(page + 1, "next");
  if (page < lastPage) linkTo(lastPage, "last");
  if (page > 1) linkTo(1, "first");
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(", ") } : {},
  };
}
