/**
 * Why this exists: a pain point's underlying interactions as CSV, one row per interaction, streamed
 * as ClickHouse returns them (a large export never sits in memory), under the request's query
 * budget (csv-export.ts). Inputs are validated with the
 * API's zod schemas (bad input → 400 with a message); text is PII-masked and no customer names or
 * contact details are exported.
 */
import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { JourneyFilterSchema, PainPointIdSchema, parsePainPointId } from '$schemas/journey';
import { openDb } from '$db/open';
import { figure, type CsvValue } from '$lib/csv';
import { csvDownload, exportBudget } from '$lib/server/http/csv-export';
import { streamRows } from '$lib/server/queries/pain-points/pain-points';
import { readable } from '$lib/server/trpc/init';
import { apiFilter, readFilter } from '../../../journey/url-filter';
import type { RequestHandler } from './$types';

/** At most this many rows per export. */
const MAX_ROWS = 1_000_000;
const HEADER = [
	'interaction_id',
	'time_utc',
	'source',
	'channel',
	'sentiment',
	'csat_0_10',
	'complaint',
	'outcome',
	'fcr',
	'handle_seconds',
	'segment',
	'region',
	'language',
	'text'
];

export const GET: RequestHandler = async ({ params, url, locals, getClientAddress }) => {
	const id = PainPointIdSchema.safeParse(params.id);
	if (!id.success || !parsePainPointId(id.data)) error(400, 'id: not a pain-point id');
	const filter = JourneyFilterSchema.safeParse(apiFilter(readFilter(url, url.searchParams.get('to') ?? '')));
	if (!filter.success) error(400, readable(filter.error as z.ZodError));
	const eb = exportBudget(await openDb(), locals.user?.user_id ?? getClientAddress());
	const rows = streamRows(eb.db.client, { id: id.data, filter: filter.data }, MAX_ROWS);
	async function* lines(): AsyncGenerator<CsvValue[][]> {
		for await (const batch of rows)
			yield batch.map((r) => [
				r.interactionId,
				r.ts,
				r.source,
				r.channel,
				r.sentiment,
				figure(r.csat, 2),
				r.isComplaint ? 1 : 0,
				r.outcome,
				r.fcr,
				r.handleSeconds,
				r.segment,
				r.region,
				r.language,
				r.text
			]);
	}
	const { stage, touchpoint } = parsePainPointId(id.data)!;
	const name = `${stage}_${touchpoint}`.replace(/[^\w-]+/g, '-');
	return csvDownload(HEADER, lines(), eb, {
		'content-disposition': `attachment; filename="interactions_${name}_${filter.data.from}_${filter.data.to}.csv"`
	});
};
