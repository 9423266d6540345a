/**
 * Why this exists: the at-risk list as CSV (GET /customers/at-risk/export.csv?group=…&signal=…),
 * with the same zod-validated filters as `customers.atRisk`, streamed page by page so a long list
 * never sits in memory. Ids and aggregates only: no PII in the export.
 */
import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { AtRiskInputSchema, type AtRiskRow } from '$schemas/customers';
import { openDb } from '$db/open';
import { BOM, csvLine } from '$lib/csv';
import { getAtRisk } from '$lib/server/queries/customers/at-risk';
import { readable } from '$lib/server/trpc/init';
import type { RequestHandler } from './$types';

const QuerySchema = z.object({
	group: z.enum(['all', 'high_value', 'others']).default('all'),
	signal: AtRiskInputSchema.unwrap().shape.signal,
	minRisk: z.coerce.number().min(0).max(1).default(0.2),
	segment: z.string().trim().max(64).default(''),
	tier: z.string().trim().max(64).default(''),
	max: z.coerce.number().int().min(1).max(200_000).default(10_000)
});

const PAGE = 2000;
const COLUMNS = [
	'rank',
	'customer_id',
	'high_value',
	'risk',
	'value',
	'value_x_risk',
	'segment',
	'tier',
	'region',
	'days_since_last_contact',
	'complaints_90d',
	'same_issue_complaints_90d',
	'unresolved_90d',
	'sentiment_change',
	'reasons'
];

function line(r: AtRiskRow, rank: number): string {
	return csvLine([
		rank,
		r.customerId,
		r.highValue,
		r.score.toFixed(4),
		r.value.toFixed(2),
		r.priority.toFixed(2),
		r.segment,
		r.tier,
		r.region,
		r.daysSinceLast,
		r.complaints90d,
		r.repeatComplaints,
		r.unresolved90d,
		r.sentimentDelta === null ? null : r.sentimentDelta.toFixed(3),
		r.reasons.map((x) => x.text).join('; ')
	]);
}

export const GET: RequestHandler = async ({ url }) => {
	const parsed = QuerySchema.safeParse(Object.fromEntries(url.searchParams));
	if (!parsed.success) error(400, readable(parsed.error));
	const { max, ...filter } = parsed.data;
	const db = await openDb();
	const encoder = new TextEncoder();
	let offset = 0;
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			controller.enqueue(encoder.encode(BOM + csvLine(COLUMNS)));
		},
		async pull(controller) {
			const limit = Math.min(PAGE, max - offset);
			const page =
				limit > 0
					? await getAtRisk(db.client, { sort: 'priority', ...filter, limit, offset }, undefined, { keep: false })
					: { rows: [] };
			page.rows.forEach((r, i) => controller.enqueue(encoder.encode(line(r, offset + i + 1))));
			offset += page.rows.length;
			if (page.rows.length < limit || offset >= max) controller.close();
		}
	});
	return new Response(stream, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': 'attachment; filename="at-risk-customers.csv"',
			'cache-control': 'no-store'
		}
	});
};
