/**
 * Why this exists: the ranked pain-point list as CSV (one row per pain point), for the filter in
 * the query string (validated with the same zod schema as the API; bad input → 400 with a message).
 */
import { error } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { JourneyFilterSchema } from '$schemas/journey';
import { openDb } from '$db/open';
import { BOM, csvLine, figure } from '$lib/csv';
import { budgetedDb } from '$lib/server/http/query-budget';
import { listPainPoints } from '$lib/server/queries/pain-points/pain-points';
import { readable } from '$lib/server/trpc/init';
import { complaintRate } from '../../journey/cell-text';
import { apiFilter, readFilter } from '../../journey/url-filter';
import { readBy } from '../by';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url, locals, getClientAddress }) => {
	const to = url.searchParams.get('to') ?? '';
	const parsed = JourneyFilterSchema.safeParse(apiFilter(readFilter(url, to)));
	if (!parsed.success) error(400, readable(parsed.error));
	// The same query as painPoints.list, under the same budget and fair turns.
	const db = budgetedDb(await openDb(), locals.user?.user_id ?? getClientAddress());
	let list;
	try {
		list = await listPainPoints(db.client, parsed.data, { by: readBy(url) });
	} catch (err) {
		if (err instanceof TRPCError) error(getHTTPStatusCodeFromError(err), err.message);
		throw err;
	}
	let body =
		BOM +
		csvLine([
			'rank',
			'severity',
			'stage',
			'touchpoint',
			'kind',
			'worst_channel',
			'impact',
			'score',
			'affected_customers',
			'interactions',
			'complaint_rate',
			'csat_0_10',
			'sentiment',
			'why'
		]);
	for (const p of list.items)
		body += csvLine([
			p.rank,
			p.severity.severity,
			p.stage,
			p.touchpoint,
			p.kind,
			p.worstChannel,
			Math.round(p.severity.impact),
			figure(p.severity.score, 3),
			p.customers,
			p.interactions,
			// Empty where no source of the pain point flags complaints (not measured, not 0).
			figure(complaintRate(p), 4),
			figure(p.csat, 2),
			figure(p.sentiment, 3),
			p.severity.why
				.map((w) => `${w.factor} ${(w.rate * 100).toFixed(1)}% vs ${(w.baseline * 100).toFixed(1)}%`)
				.join('; ')
		]);
	return new Response(body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="pain-points_${parsed.data.from}_${parsed.data.to}.csv"`
		}
	});
};
