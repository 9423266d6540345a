/**
 * Why this exists: Zendesk Support's cursor-based incremental ticket export
 * (GET /api/v2/incremental/tickets/cursor.json). Each answer carries `tickets`, `after_cursor` and
 * `end_of_stream`; the after_cursor is kept between runs, so each run fetches only tickets changed
 * since. Tickets carry their `satisfaction_rating` (score good/bad, comment), mapped to CSAT.
 */
import { z } from 'zod';
import { apiConnector, followPages, getRecords, resolveUrl } from './types';

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

export const zendesk = apiConnector('zendesk', Options, (c: Partial<{ after: string }>, { options, http }) =>
	followPages(c.after, async (after) => {
		const path = after
			? `api/v2/incremental/tickets/cursor.json?cursor=${encodeURIComponent(after)}`
			: `api/v2/incremental/tickets/cursor.json?start_time=${options.startTime}`;
		const url = resolveUrl(options.baseUrl, path);
		const page = await getRecords<Answer>(url, http, 'tickets');
		const next = page.end_of_stream ? undefined : (page.after_cursor ?? undefined);
		return { url, records: page.tickets, next, cursor: { after: page.after_cursor ?? after } };
	})
);
