/**
 * Why this exists: the filter a user chose (date range, channels, segment, …) lives in the URL, and
 * it must follow them from page to page. The side nav carries these parameters from the current
 * URL to every analytics page — pages that do not use a parameter ignore it and pass it on, so the
 * context survives a visit to the ROI page. Page-specific choices (sort, KPI, paging) stay behind.
 */
export const FILTER_PARAMS = ['from', 'to', 'segment', 'channels', 'regions', 'scenarios', 'intents'] as const;

/** The filter parameters of `search`, as a query string without `?` ('' when there are none). */
export function filterContext(search: URLSearchParams): string {
	const kept = new URLSearchParams();
	for (const key of FILTER_PARAMS) {
		const v = search.get(key);
		if (v) kept.set(key, v);
	}
	return kept.toString();
}

/** `path` with the filter context of `search` appended. */
export function withFilterContext(path: string, search: URLSearchParams): string {
	const q = filterContext(search);
	return q ? `${path}?${q}` : path;
}
