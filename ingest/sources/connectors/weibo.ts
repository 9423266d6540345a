/**
 * Why this exists: Weibo-style mentions (GET /2/statuses/mentions.json): `{ statuses: [...],
 * next_cursor }`, newest first; `next_cursor` is 0 on the last page. Between runs the newest status
 * id is kept and sent as `since_id`. Authors are `user.screen_name`.
 */
import { z } from 'zod';
import { apiConnector, followPages, getRecords, newerId, resolveUrl } from './types';

const Options = z.strictObject({
	baseUrl: z.url().default('https://api.weibo.com'),
	path: z
		.string()
		.regex(/^\/[\w/.-]*$/)
		.default('/2/statuses/mentions.json'),
	count: z.number().int().min(1).max(200).default(50)
});

interface Answer {
	statuses: Record<string, unknown>[];
	next_cursor?: number | string;
}
interface Cursor {
	since_id: string;
	next: string;
	newest: string;
}

export const weibo = apiConnector('weibo', Options, (c: Partial<Cursor>, { options, http }) => {
	let newest = c.newest;
	return followPages(c.next, async (at) => {
		const params = new URLSearchParams({ count: String(options.count) });
		if (c.since_id) params.set('since_id', c.since_id);
		if (at) params.set('cursor', at);
		const url = resolveUrl(options.baseUrl, `${options.path.slice(1)}?${params}`);
		const page = await getRecords<Answer>(url, http, 'statuses');
		for (const s of page.statuses) newest = newerId(String(s.idstr ?? s.id ?? ''), newest) || newest;
		const next = page.next_cursor && String(page.next_cursor) !== '0' ? String(page.next_cursor) : undefined;
		const cur: Partial<Cursor> = next ? { since_id: c.since_id, next, newest } : { since_id: newest ?? c.since_id };
		return { url, records: page.statuses, next, cursor: cur };
	});
});
