/**
 * Why this exists: Reddit listings (e.g. GET /r/{sub}/new.json). A Listing is
 * `{ kind: 'Listing', data: { after, children: [{ kind: 't3', data: {...} }] } }`, paged with
 * `after`. Between runs we keep the newest post's creation time and stop paging once older posts
 * appear, so a run reads only what is new (plus ties, which the loader deduplicates).
 */
import { z } from 'zod';
import { getJson } from './http';
import { apiConnector, followPages, resolveUrl } from './types';

const Options = z.strictObject({
	baseUrl: z.url().default('https://oauth.reddit.com'),
	/** Listing path, e.g. /r/acme/new.json or /search.json?q=acme&sort=new */
	path: z.string().regex(/^\/[\w/.?=&%+-]*$/),
	limit: z.number().int().min(1).max(100).default(100)
});

interface Listing {
	kind: string;
	data: { after: string | null; children: { kind: string; data: Record<string, unknown> }[] };
}
interface Cursor {
	after: string;
	/** created_utc of the newest post of the last complete run. */
	seen: number;
	newest: number;
}

export const reddit = apiConnector('reddit', Options, (c: Partial<Cursor>, { options, http }) => {
	const seen = c.seen ?? 0;
	let newest = c.newest ?? seen;
	return followPages(c.after, async (after) => {
		const sep = options.path.includes('?') ? '&' : '?';
		const url = resolveUrl(
			options.baseUrl,
			`${options.path.slice(1)}${sep}limit=${options.limit}&raw_json=1${after ? `&after=${after}` : ''}`
		);
		const page = await getJson<Listing>(url, http);
		if (page?.kind !== 'Listing' || !Array.isArray(page.data?.children)) throw new Error(`${url}: not a Listing`);
		const posts: Record<string, unknown>[] = page.data.children.map((ch) => ({ kind: ch.kind, ...ch.data }));
		const fresh = posts.filter((p) => Number(p.created_utc ?? 0) >= seen);
		for (const p of fresh) newest = Math.max(newest, Number(p.created_utc ?? 0));
		// Older posts on this page: everything after it was seen in an earlier run.
		const next = fresh.length < posts.length ? undefined : (page.data.after ?? undefined);
		const cur: Partial<Cursor> = next ? { seen, after: next, newest } : { seen: newest };
		return { url, records: fresh, next, cursor: cur };
	});
});
