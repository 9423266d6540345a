/**
 * Why this exists: a pain point's underlying interactions as CSV, one row per interaction, streamed
 * as ClickHouse returns them (a large export never sits in memory). Inputs are validated with the
 * API's zod schemas (bad input → 400 with a message); text is PII-masked and no customer names or
 * contact details are exported.
 */
import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { JourneyFilterSchema, PainPointIdSchema, parsePainPointId } from '$schemas/journey';
import { openDb } from '$db/open';
import { BOM, csvLine } from '$lib/csv';
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

export const GET: RequestHandler = async ({ params, url }) => {
	const id = PainPointIdSchema.safeParse(params.id);
	if (!id.success || !parsePainPointId(id.data)) error(400, 'id: not a pain-point id');
	const filter = JourneyFilterSchema.safeParse(apiFilter(readFilter(url, url.searchParams.get('to') ?? '')));
	if (!filter.success) error(400, readable(filter.error as z.ZodError));
	const db = await openDb();
	const rows = streamRows(db.client, { id: id.data, filter: filter.data }, MAX_ROWS);
	const encoder = new TextEncoder();
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			controller.enqueue(encoder.encode(BOM + csvLine(HEADER)));
		},
		async pull(controller) {
			try {
				const next = await rows.next();
				if (next.done) return controller.close();
				let chunk = '';
				for (const r of next.value)
					chunk += csvLine([
						r.interactionId,
						r.ts,
						r.source,
						r.channel,
						r.sentiment,
						r.csat === null ? null : Number(r.csat.toFixed(2)),
						r.isComplaint ? 1 : 0,
						r.outcome,
						r.fcr,
						r.handleSeconds,
						r.segment,
						r.region,
						r.language,
						r.text
					]);
				controller.enqueue(encoder.encode(chunk));
			} catch (err) {
				console.error('pain-point export failed:', err);
				controller.error(err);
			}
		},
		async cancel() {
			await rows.return(undefined);
		}
	});
	const { stage, touchpoint } = parsePainPointId(id.data)!;
	const name = `${stage}_${touchpoint}`.replace(/[^\w-]+/g, '-');
	return new Response(stream, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="interactions_${name}_${filter.data.from}_${filter.data.to}.csv"`
		}
	});
};
