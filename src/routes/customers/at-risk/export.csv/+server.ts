/**
 * Why this exists: the at-risk list as CSV (GET /customers/at-risk/export.csv?group=…&signal=…),
 * with the same zod-validated filters as `customers.atRisk`, streamed page by page so a long list
 * never sits in memory, under the request's query budget (csv-export.ts). Ids and aggregates only: no PII in the export.
 */
import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { AtRiskInputSchema, type AtRiskRow } from '$schemas/customers';
import { openDb } from '$db/open';
import { figure, type CsvValue } from '$lib/csv';
import { csvDownload, exportBudget } from '$lib/server/http/csv-export';
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

function line(r: AtRiskRow, rank: number): CsvValue[] {
	return [
		rank,
		r.customerId,
		r.highValue,
		figure(r.score, 4),
		figure(r.value, 2),
		figure(r.priority, 2),
		r.segment,
		r.tier,
		r.region,
		r.daysSinceLast,
		r.complaints90d,
		r.repeatComplaints,
		r.unresolved90d,
		figure(r.sentimentDelta, 3),
		r.reasons.map((x) => x.text).join('; ')
	];
}

export const GET: RequestHandler = async ({ url, locals, getClientAddress }) => {
	const parsed = QuerySchema.safeParse(Object.fromEntries(url.searchParams));
	if (!parsed.success) error(400, readable(parsed.error));
	const { max, ...filter } = parsed.data;
	const eb = exportBudget(await openDb(), locals.user?.user_id ?? getClientAddress());
	async function* pages(): AsyncGenerator<CsvValue[][]> {
		for (let offset = 0; offset < max;) {
			const limit = Math.min(PAGE, max - offset);
			const page = await getAtRisk(eb.db.client, { sort: 'priority', ...filter, limit, offset }, undefined, {
				keep: false
			});
			yield page.rows.map((r, i) => line(r, offset + i + 1));
			offset += page.rows.length;
			if (page.rows.length < limit) return;
		}
	}
	return csvDownload(COLUMNS, pages(), eb, {
		'content-disposition': 'attachment; filename="at-risk-customers.csv"',
		'cache-control': 'no-store'
	});
};
