/**
 * Why this exists: Twilio Programmable Voice call logs (GET /2010-04-01/Accounts/{Sid}/Calls.json).
 * Pages link on with `next_page_uri` (null on the last page). Runs are incremental by start date
 * (`StartTime>=`, day precision): the overlap with the previous run is deduplicated by the loader.
 */
import { z } from 'zod';
import { apiConnector, followPages, getRecords, resolveUrl } from './types';

const Options = z.strictObject({
	baseUrl: z.url().default('https://api.twilio.com'),
	accountSid: z.string().regex(/^AC[0-9a-zA-Z]{1,64}$/),
	pageSize: z.number().int().min(1).max(1000).default(100)
});

interface Answer {
	calls: Record<string, unknown>[];
	next_page_uri: string | null;
}
interface Cursor {
	since: string;
	next: string;
	newest: string;
}

export const twilio = apiConnector('twilio', Options, (c: Partial<Cursor>, { options, http }) => {
	let newest = c.newest ?? c.since ?? '';
	const first =
		`2010-04-01/Accounts/${options.accountSid}/Calls.json?PageSize=${options.pageSize}` +
		(c.since ? `&StartTime%3E=${c.since}` : '');
	return followPages(c.next, async (at) => {
		const url = resolveUrl(options.baseUrl, at || first);
		const page = await getRecords<Answer>(url, http, 'calls');
		for (const call of page.calls) {
			const t = Date.parse(String(call.start_time ?? call.date_created ?? ''));
			if (Number.isFinite(t)) {
				const day = new Date(t).toISOString().slice(0, 10);
				if (day > newest) newest = day;
			}
		}
		const next = page.next_page_uri ?? undefined;
		const cur: Partial<Cursor> = next ? { since: c.since, next, newest } : { since: newest || c.since };
		return { url, records: page.calls, next, cursor: cur };
	});
});
