/**
 * Why this exists: the ranked pain-point list as CSV (one row per pain point), for the filter in
 * the query string (validated with the same zod schema as the API; bad input → 400 with a message).
 */
import { error } from '@sveltejs/kit';
import { JourneyFilterSchema } from '$schemas/journey';
import { openDb } from '$db/open';
import { BOM, csvLine } from '$lib/server/queries/pain-points/csv';
import { listPainPoints } from '$lib/server/queries/pain-points/pain-points';
import { readable } from '$lib/server/trpc/init';
import { apiFilter, readFilter } from '../../journey/url-filter';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url }) => {
	const to = url.searchParams.get('to') ?? '';
	const parsed = JourneyFilterSchema.safeParse(apiFilter(readFilter(url, to)));
	if (!parsed.success) error(400, readable(parsed.error));
	const db = await openDb();
	const list = await listPainPoints(db.client, parsed.data);
	let body =
		BOM +
		csvLine([
			'rank',
			'severity',
			'stage',
			'touchpoint',
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
			p.worstChannel,
			Math.round(p.severity.impact),
			p.severity.score.toFixed(3),
			p.customers,
			p.interactions,
			p.interactions ? (p.complaints / p.interactions).toFixed(4) : '',
			p.csat?.toFixed(2) ?? '',
			p.sentiment?.toFixed(3) ?? '',
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
