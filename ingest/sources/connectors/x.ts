/**
 * Why this exists: X API v2 recent search (GET /2/tweets/search/recent). Pages go back in time via
 * `meta.next_token`; between runs we keep the newest id seen and pass it as `since_id`, so a run
 * fetches only posts newer than the last one. Authors come from `includes.users` and are attached
 * to each post as `author` (username feeds identity resolution).
 */
import { z } from 'zod';
import { getJson } from './http';
import { apiConnector, followPages, newerId, resolveUrl } from './types';

const Options = z.strictObject({
	baseUrl: z.url().default('https://api.twitter.com'),
	query: z.string().min(1).max(1024),
	maxResults: z.number().int().min(10).max(100).default(100)
});

interface Answer {
	data?: Record<string, unknown>[];
	includes?: { users?: { id: string; username?: string; name?: string }[] };
	meta?: { newest_id?: string; next_token?: string; result_count?: number };
}
interface Cursor {
	since_id: string;
	next_token: string;
	newest: string;
}

export const x = apiConnector('x', Options, (c: Partial<Cursor>, { options, http }) => {
	let newest = c.newest;
	return followPages(c.next_token, async (token) => {
		const params = new URLSearchParams({
			query: options.query,
			max_results: String(options.maxResults),
			'tweet.fields': 'created_at,author_id,lang,conversation_id,public_metrics',
			expansions: 'author_id',
			'user.fields': 'username,name'
		});
		if (c.since_id) params.set('since_id', c.since_id);
		if (token) params.set('next_token', token);
		const url = resolveUrl(options.baseUrl, `2/tweets/search/recent?${params}`);
		const page = await getJson<Answer>(url, http);
		const users = new Map((page.includes?.users ?? []).map((u) => [u.id, u]));
		const records = (page.data ?? []).map((t) => ({ ...t, author: users.get(String(t.author_id)) ?? {} }));
		newest = newerId(page.meta?.newest_id, newest);
		const next = page.meta?.next_token;
		const cur: Partial<Cursor> = next
			? { since_id: c.since_id, next_token: next, newest }
			: { since_id: newest ?? c.since_id };
		return { url, records, next, cursor: cur };
	});
});
