/**
 * Why this exists: Zendesk Support's cursor-based incremental ticket export
 * (GET /api/v2/incremental/tickets/cursor.json). Each answer carries `tickets`, `after_cursor` and
 * `end_of_stream`; the after_cursor is kept between runs, so each run fetches only tickets changed
 * since. Tickets carry their `satisfaction_rating` (score good/bad, comment), mapped to CSAT.
 */
import { z } from 'zod';
import { getJson } from './http';
import { readCursor, resolveUrl, type Connector } from './types';

const Options = z.strictObject({
	baseUrl: z.url(),
	/** Unix seconds of the first export (first run only). */
	startTime: z.number().int().min(0).default(0)
});

interface Answer {
	tickets: Record<string, unknown>[];
	after_cursor: string | null;
	end_of_stream: boolean;
}

export const zendesk: Connector<z.infer<typeof Options>> = {
	kind: 'zendesk',
	options: Options,
	async *pull(cursor, { options, http }) {
		let after = readCursor<{ after: string }>(cursor).after;
		for (;;) {
			const path = after
				? `api/v2/incremental/tickets/cursor.json?cursor=${encodeURIComponent(after)}`
				: `api/v2/incremental/tickets/cursor.json?start_time=${options.startTime}`;
			const url = resolveUrl(options.baseUrl, path);
			const page = await getJson<Answer>(url, http);
			if (!Array.isArray(page.tickets)) throw new Error(`${url}: answer has no tickets array`);
			after = page.after_cursor ?? after;
			yield { records: page.tickets, cursor: JSON.stringify({ after }), label: url };
			if (page.end_of_stream || !page.after_cursor) return;
		}
	}
};
