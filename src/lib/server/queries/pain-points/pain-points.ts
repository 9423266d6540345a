/**
 * Why this exists: `painPoints.list` and `painPoints.get` — the ranked pain points with sparklines,
 * and one pain point's drill-down: trend, affected segments, salient terms, verbatims (the
 * customers' own words, contact details masked) and the underlying interactions, paginated.
 * Aggregates come from the journey roll-ups; verbatims and rows read one touchpoint's raw rows,
 * which the interactions table's sort key (stage, touchpoint, ts) keeps cheap.
 */
import { maskText } from '$lib/privacy/mask';
import { customerNames } from '../privacy/names';
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { sqlTemplate } from '$db/sql-template';
import { num, numOrNull } from '$schemas/fields';
import {
	PainPointDetailSchema,
	PainPointListSchema,
	painPointId,
	parsePainPointId,
	FACTORS,
	type Factor,
	type InteractionRow,
	type JourneyCell,
	type JourneyFilter,
	type PainPointDetail,
	type PainPointKind,
	type PainPointList,
	type SeveritySettings
} from '$schemas/journey';
import { LOW_CSAT, NEGATIVE_SENTIMENT } from '$schemas/metrics';
import { salientTerms, type TermDoc } from '../../text/terms';
import { sampleTexts } from '../text/topics';
import { measureList } from '../metrics';
import { idsNamed } from '$ingest';
import {
	COARSE_JOURNEY_WHERE,
	coarseSums,
	JOURNEY_WHERE,
	journeyParams,
	keyedRows,
	ONE_TOUCHPOINT,
	oneTouchpointSource,
	RAW_WHERE
} from '../journey/filter';
import { reasonDictionary, reasonParams } from '../reasons/dictionary';
import {
	assessJourney,
	complaintSources,
	JourneySumsSchema,
	measuredComplaintRate,
	readSeveritySettings,
	toMetrics
} from '../journey/map';
import { badnessOf, reachOf, SEVERITY_ORDER, type Baseline } from '../journey/severity';
import rowsSql from './rows.sql?raw';
import segmentsSql from './segments.sql?raw';
import trendSql from './trend.sql?raw';

// The reason roll-ups, resolved as the map resolves them (reason-touchpoints by current name), or
// keyed by reason for pain points by reason; the coarse ones when the filter allows (coarseSums).
// One pain point's trend reads its own rows only (ONE_TOUCHPOINT).
const INTERVAL = (by: PainPointKind, table: string, one: boolean) => {
	const rows = (t: string) => keyedRows(`SELECT * FROM ${t}${one ? ` WHERE ${ONE_TOUCHPOINT[by]}` : ''}`, by);
	return {
		week: { bucket: 'toMonday(day)', table: `(${rows(`${table}_daily`)})` },
		month: { bucket: 'toStartOfMonth(day)', table: `(${rows(`${table}_monthly`)})` }
	} as const;
};
type Interval = 'week' | 'month';

const trendSqlOf = (by: PainPointKind, coarse = false, one = false) =>
	Object.fromEntries(
		Object.entries(INTERVAL(by, coarse ? 'reason_coarse' : 'reason', one)).map(([k, v]) => [
			k,
			sqlTemplate(trendSql, {
				...v,
				measures: measureList(coarse ? 'reasonsCoarse' : 'journey'),
				where: coarse ? COARSE_JOURNEY_WHERE : JOURNEY_WHERE
			})
		])
	) as Record<Interval, string>;
export const TREND_SQL = trendSqlOf('touchpoint');
export const REASON_TREND_SQL = trendSqlOf('reason');
export const COARSE_TREND_SQL = trendSqlOf('touchpoint', true);
export const COARSE_REASON_TREND_SQL = trendSqlOf('reason', true);
const TREND_BY = {
	fine: { touchpoint: TREND_SQL, reason: REASON_TREND_SQL },
	coarse: { touchpoint: COARSE_TREND_SQL, reason: COARSE_REASON_TREND_SQL }
} as const;
export const ONE_TREND_BY = {
	fine: { touchpoint: trendSqlOf('touchpoint', false, true), reason: trendSqlOf('reason', false, true) },
	coarse: { touchpoint: trendSqlOf('touchpoint', true, true), reason: trendSqlOf('reason', true, true) }
} as const;
export const SEGMENTS_SQL = sqlTemplate(segmentsSql, {
	measures: measureList('journey'),
	source: oneTouchpointSource('touchpoint')
});
export const REASON_SEGMENTS_SQL = sqlTemplate(segmentsSql, {
	measures: measureList('journey'),
	source: oneTouchpointSource('reason')
});

/**
 * Verbatims and terms come from the last 30 days of the range (or before the pain point's latest
 * contact in it): the current voice of the customer, and a bounded read (texts are the heaviest
 * column; a 2-year range would read GBs).
 */
const RECENT = "AND ts >= toDateTime64({to:Date} + 1, 3, 'UTC') - INTERVAL 30 DAY";

// The most telling words first: complaints, negative sentiment, low CSAT; a few per source.
const TELLING = `ORDER BY is_complaint + (${NEGATIVE_SENTIMENT}) + (${LOW_CSAT}) DESC, ts DESC, interaction_id
LIMIT 4 BY source LIMIT 12`;
const ORDER = {
	verbatimIds: `${RECENT} AND notEmpty(text) ${TELLING}`,
	page: 'ORDER BY ts DESC, interaction_id LIMIT {limit:UInt32} OFFSET {offset:UInt32}',
	terms: `${RECENT} AND text != '' ORDER BY ts DESC LIMIT {limit:UInt32}`,
	export: 'ORDER BY ts DESC, interaction_id LIMIT {limit:UInt32}',
	count: ''
} as const;
/**
 * The touchpoint a rows query reads; branch i of a union binds its own numbered parameters. A
 * reason-touchpoint's rows have no touchpoint of their own: they are those of its stored reason ids
 * ({tp_reasons}), which the sort key (stage, touchpoint, ts) still finds among the rows without one.
 * A pain point by reason reads its reason ids' rows whatever their touchpoint.
 */
const key = (by: PainPointKind, i?: number) => {
	const n = i === undefined ? '' : `_${i}`;
	if (by === 'reason') return `has({tp_reasons${n}:Array(String)}, reason_id)`;
	return `((stage = {stage${n}:String} AND touchpoint = {touchpoint${n}:String})
    OR (touchpoint = '' AND has({tp_reasons${n}:Array(String)}, reason_id) AND stage IN ('', {stage${n}:String})))`;
};
const touchpointRows = (order: string, by: PainPointKind, i?: number) =>
	sqlTemplate(rowsSql, { key: key(by, i), where: RAW_WHERE, order });
function rowsSqlOf(by: PainPointKind) {
	const byOrder = Object.fromEntries(
		Object.entries(ORDER).map(([k, order]) => [k, touchpointRows(order, by)])
	) as Record<keyof typeof ORDER, string>;
	return {
		...byOrder,
		// Two steps: the 12 ids are chosen first (the subquery reads only what it sorts on), then those
		// rows' text is read. Sorting whole rows would carry the text of every contact of the 30 days
		// through the sort.
		verbatims: touchpointRows(
			`${RECENT} AND interaction_id IN (SELECT interaction_id FROM (${byOrder.verbatimIds})) ${TELLING}`,
			by
		)
	};
}
export const ROWS_SQL = rowsSqlOf('touchpoint');
export const REASON_ROWS_SQL = rowsSqlOf('reason');
const ROWS_BY = { touchpoint: ROWS_SQL, reason: REASON_ROWS_SQL } as const;
export const COUNT_SQL = `SELECT count() AS n FROM (${ROWS_SQL.count})`;
export const REASON_COUNT_SQL = `SELECT count() AS n FROM (${REASON_ROWS_SQL.count})`;

/** Weeks for ranges up to ~4 months, else months (whole months from the monthly roll-up). */
export function intervalFor(from: string, to: string): Interval {
	return Date.parse(to) - Date.parse(from) <= 120 * 86_400_000 ? 'week' : 'month';
}

const TrendRowSchema = JourneySumsSchema.extend({
	bucket: z.string(),
	stage: z.string(),
	touchpoint: z.string(),
	complaint_measured: num,
	complaint_like: num
});
const SegmentRowSchema = JourneySumsSchema.extend({
	dimension: z.string(),
	value: z.string(),
	customers: num,
	authors: num,
	unattributed: num,
	complaint_measured: num,
	complaint_like: num
});
type SegmentRow = z.infer<typeof SegmentRowSchema>;

async function trendRows(
	client: ClickHouseClient,
	filter: JourneyFilter,
	settings: SeveritySettings,
	one?: { stage: string; touchpoint: string; tp_reasons: string[] },
	by: PainPointKind = 'touchpoint'
) {
	const interval = intervalFor(filter.from, filter.to);
	const [binding, sources] = await Promise.all([reasonParams(client, filter.reasons), complaintSources(client)]);
	const params = { ...journeyParams(filter, settings, binding), complaint_sources: sources };
	const bucket_from = interval === 'month' ? `${filter.from.slice(0, 7)}-01` : filter.from;
	const rs = await client.query({
		query: (one ? ONE_TREND_BY : TREND_BY)[coarseSums(filter) ? 'coarse' : 'fine'][by][interval],
		query_params: {
			...params,
			bucket_from,
			one: one ? 1 : 0,
			stage: one?.stage ?? '',
			touchpoint: one?.touchpoint ?? '',
			tp_reasons: one?.tp_reasons ?? []
		},
		format: 'JSONEachRow'
	});
	const rows = z.array(TrendRowSchema).parse(await rs.json());
	return {
		interval,
		rows: rows.map((r) => ({
			bucket: r.bucket,
			metrics: toMetrics({ ...r, channel: '', level: 'touchpoint', customers: 0, hv_interactions: 0 }, settings)
		}))
	};
}

function bucketBadness(m: ReturnType<typeof toMetrics>, baseline: Baseline, settings: SeveritySettings) {
	// A week holds a fraction of a period's contacts, so the sample gates are relaxed (a quarter);
	// a bucket still too small to judge has no point on the sparkline rather than a noisy one.
	const relaxed = { ...settings, minFactorSample: Math.max(5, Math.floor(settings.minFactorSample / 4)) };
	return m.interactions >= Math.max(5, Math.floor(settings.minInteractions / 4))
		? badnessOf(m, baseline, relaxed).badness
		: null;
}

export async function listPainPoints(
	client: ClickHouseClient,
	filter: JourneyFilter,
	opts: { includeNone?: boolean; by?: PainPointKind } = {}
): Promise<PainPointList> {
	const by = opts.by ?? 'touchpoint';
	// The sparklines need only the settings, not the assessment: both run at once.
	const settings = await readSeveritySettings(client);
	const [a, trend, dictionary] = await Promise.all([
		assessJourney(client, filter, settings, by),
		trendRows(client, filter, settings, undefined, by),
		reasonDictionary(client)
	]);
	const reasonNames = new Set(dictionary.map((d) => d.name));
	const flagged = a.touchpoints
		.filter((t) => opts.includeNone || t.severity.severity !== 'none')
		.sort(
			(x, y) =>
				SEVERITY_ORDER[x.severity.severity] - SEVERITY_ORDER[y.severity.severity] ||
				y.severity.impact - x.severity.impact
		);
	const items = flagged.map((t, i) => {
		const worst = worstChannel(a.cells.filter((c) => c.stage === t.stage && c.touchpoint === t.touchpoint));
		return {
			...t,
			id: painPointId(t.stage, t.touchpoint, by),
			rank: i + 1,
			kind: by === 'reason' || reasonNames.has(t.touchpoint) ? 'reason' : 'touchpoint',
			by,
			worstChannel: worst?.channel ?? '',
			worstChannelBy: worst ? worstRate(worst) : null,
			spark: trend.rows
				.filter((r) => r.metrics.stage === t.stage && r.metrics.touchpoint === t.touchpoint)
				.map((r) => ({
					bucket: r.bucket,
					interactions: r.metrics.interactions,
					badness: bucketBadness(r.metrics, a.baseline as Baseline, a.settings)
				}))
		};
	});
	return PainPointListSchema.parse({ by, interval: trend.interval, items });
}

/**
 * The channel whose cell is worst by rate (its score: the same model, so rates are compared, not
 * volumes); only channels with enough contacts to be judged. Undefined when none has.
 */
export function worstChannel(channels: JourneyCell[]): JourneyCell | undefined {
	return channels
		.filter((c) => c.severity.reason !== 'small-sample' && c.severity.reason !== 'no-signals')
		.sort((x, y) => y.severity.score - x.severity.score || y.interactions - x.interactions)[0];
}

/** The rate that makes a channel worst: its largest excess, else its worst floor, else its highest rate. */
export function worstRate(c: JourneyCell): { factor: Factor; rate: number } | null {
	const why = c.severity.why[0];
	if (why) return { factor: why.factor, rate: why.rate };
	const floor = c.severity.floors.find((f) => f.measure !== 'csatMean');
	if (floor && floor.measure !== 'csatMean') return { factor: floor.measure, rate: floor.value };
	const rated = FACTORS.filter((f) => c.rates[f] !== null).sort((x, y) => c.rates[y]! - c.rates[x]!);
	return rated[0] ? { factor: rated[0], rate: c.rates[rated[0]]! } : null;
}

/**
 * The factor that drives a pain point's severity: the worst floor crossed when it scores at least
 * the relative badness (a mean-CSAT floor is read as the low-CSAT share), else the largest excess,
 * else its highest rate.
 */
export function drivingFactor(cell: JourneyCell | null): Factor {
	if (!cell) return 'complaint';
	const s = cell.severity;
	const floor = s.floors[0];
	const relative = s.badness * s.multiplier;
	if (floor && (!s.why.length || s.score > relative)) return floor.measure === 'csatMean' ? 'lowCsat' : floor.measure;
	return worstRate(cell)?.factor ?? 'complaint';
}

/**
 * The affected segments as the severity judges them: per segment, the driving factor's rate (null
 * where fewer than `minFactorSample` observations back it) and the people it reaches.
 */
export function segmentRows(rows: SegmentRow[], factor: Factor, settings: SeveritySettings) {
	return rows.map((r) => {
		const m = toMetrics(
			{ ...r, stage: '', touchpoint: '', channel: '', level: 'touchpoint', hv_interactions: 0 },
			settings
		);
		const { reach, unit } = reachOf(m);
		const sample = m.samples[factor];
		return {
			dimension: r.dimension,
			value: r.value,
			interactions: r.interactions,
			reach,
			reachUnit: unit,
			rate: sample >= settings.minFactorSample ? m.rates[factor] : null,
			sample,
			complaintRate: measuredComplaintRate(m),
			csat: m.csat
		};
	});
}

const RawRowSchema = z.object({
	interaction_id: z.string(),
	customer_id: z.string(),
	source: z.string(),
	channel: z.string(),
	at: z.string(),
	sentiment: numOrNull,
	csat: numOrNull,
	is_complaint: num,
	language: z.string(),
	text: z.string(),
	outcome: z.string(),
	fcr: numOrNull,
	handle_s: numOrNull,
	segment: z.string(),
	region: z.string()
});

type RawRow = z.infer<typeof RawRowSchema>;

export function toInteractionRow(r: RawRow, names: readonly string[] = []): InteractionRow {
	return {
		interactionId: r.interaction_id,
		customerId: r.customer_id,
		source: r.source,
		channel: r.channel,
		ts: r.at.replace(' ', 'T').replace(/(\.\d+)?$/, 'Z'),
		sentiment: r.sentiment,
		csat: r.csat,
		isComplaint: r.is_complaint === 1,
		language: r.language,
		// Verbatims are shown to many people: emails, phones, card numbers and the customer's name are masked.
		text: maskText(r.text, names),
		outcome: r.outcome,
		fcr: r.fcr,
		handleSeconds: r.handle_s,
		segment: r.segment,
		region: r.region
	};
}

async function rawParams(
	client: ClickHouseClient,
	filter: JourneyFilter,
	settings: SeveritySettings,
	where: { stage: string; touchpoint: string }
) {
	const [binding, dictionary] = await Promise.all([reasonParams(client, filter.reasons), reasonDictionary(client)]);
	return { ...journeyParams(filter, settings, binding), ...where, tp_reasons: idsNamed(dictionary, where.touchpoint) };
}

/** Every interaction of a pain point (newest first, at most `limit`), as rows, batch by batch. */
export async function* streamRows(
	client: ClickHouseClient,
	input: { id: string; filter: JourneyFilter },
	limit: number
): AsyncGenerator<InteractionRow[]> {
	const where = parsePainPointId(input.id);
	if (!where) return;
	const settings = await readSeveritySettings(client);
	const rs = await client.query({
		query: ROWS_BY[where.by].export,
		query_params: { ...(await rawParams(client, input.filter, settings, where)), limit },
		format: 'JSONEachRow'
	});
	for await (const batch of rs.stream()) {
		yield await masked(
			client,
			(batch as { json<T>(): T }[]).map((r) => RawRowSchema.parse(r.json()))
		);
	}
}

/** Rows as served: each text with its customer's name masked. */
async function masked(client: ClickHouseClient, raw: RawRow[]): Promise<InteractionRow[]> {
	const names = await customerNames(
		client,
		raw.map((r) => r.customer_id)
	);
	return raw.map((r) => toInteractionRow(r, names.get(r.customer_id)));
}

export async function queryRows(
	client: ClickHouseClient,
	kind: 'verbatims' | 'page' | 'terms',
	params: Record<string, unknown>,
	by: PainPointKind = 'touchpoint'
): Promise<InteractionRow[]> {
	const rs = await client.query({ query: ROWS_BY[by][kind], query_params: params, format: 'JSONEachRow' });
	return masked(client, z.array(RawRowSchema).parse(await rs.json()));
}

const DAY_MS = 86_400_000;

/**
 * What the pain point's words are contrasted with: the kept text sample's recent texts (the same
 * 30 days) outside this touchpoint — a pain point by reason, or a touchpoint that is a reason, is
 * contrasted with every recent text, its own among them. Unmasked: these words are counted, never
 * shown (the pain point's own texts are masked).
 */
function background(
	client: ClickHouseClient,
	to: string,
	where: { stage: string; touchpoint: string },
	by: PainPointKind
): Promise<TermDoc[]> {
	const end = Date.parse(`${to}T00:00:00Z`) + DAY_MS;
	const rest = by === 'touchpoint';
	return sampleTexts(
		client,
		{
			range: [end - 30 * DAY_MS, end],
			...(rest ? { stage: where.stage, touchpoint: where.touchpoint } : {}),
			inside: !rest
		},
		false
	);
}

export async function getPainPoint(
	client: ClickHouseClient,
	input: { id: string; filter: JourneyFilter; page: number; pageSize: number }
): Promise<PainPointDetail | null> {
	const where = parsePainPointId(input.id);
	if (!where) return null;
	const { filter } = input;
	const by = where.by;
	const settings = await readSeveritySettings(client);
	const [params, sources] = await Promise.all([rawParams(client, filter, settings, where), complaintSources(client)]);
	// The assessment runs beside the drill-down's own reads: only the pager's total waits for it.
	const assessed = assessJourney(client, filter, settings, by).then((a) => ({
		a,
		cell: a.touchpoints.find((t) => t.stage === where.stage && t.touchpoint === where.touchpoint) ?? null
	}));
	const [{ a, cell }, trend, segs, lastVerbatims, page, total, lastTarget, lastBackground] = await Promise.all([
		assessed,
		trendRows(client, filter, settings, { ...where, tp_reasons: params.tp_reasons }, by),
		client
			.query({
				query: by === 'reason' ? REASON_SEGMENTS_SQL : SEGMENTS_SQL,
				query_params: { ...params, complaint_sources: sources },
				format: 'JSONEachRow'
			})
			.then(async (rs) => z.array(SegmentRowSchema).parse(await rs.json())),
		queryRows(client, 'verbatims', params, by),
		queryRows(client, 'page', { ...params, limit: input.pageSize, offset: (input.page - 1) * input.pageSize }, by),
		// The assessed cell already counts these rows (the roll-up has every filter but the value
		// segment, which raw rows take from the customers' current tier): no second pass over them.
		assessed.then(({ cell }) =>
			cell && filter.segment === 'all'
				? cell.interactions
				: client
						.query({
							query: by === 'reason' ? REASON_COUNT_SQL : COUNT_SQL,
							query_params: params,
							format: 'JSONEachRow'
						})
						.then((rs) => rs.json<{ n: string | number }>())
						.then((r) => Number(r[0]?.n ?? 0))
		),
		queryRows(client, 'terms', { ...params, limit: 1500 }, by),
		background(client, filter.to, where, by)
	]);
	// A range that ends after the data (an export loaded months later) holds no recent words: read
	// the 30 days before this pain point's latest contact instead (page 1 is newest first).
	const latest = input.page === 1 ? page[0]?.ts.slice(0, 10) : undefined;
	const earlier = { ...params, to: latest };
	const [verbatims, target, contrast] =
		!lastVerbatims.length && latest && latest < filter.to
			? await Promise.all([
					queryRows(client, 'verbatims', earlier, by),
					queryRows(client, 'terms', { ...earlier, limit: 1500 }, by),
					background(client, latest, where, by)
				])
			: [lastVerbatims, lastTarget, lastBackground];
	const doc = (r: InteractionRow) => ({ text: r.text, language: r.language });
	const worst = worstChannel(a.cells.filter((c) => c.stage === where.stage && c.touchpoint === where.touchpoint));
	const factor = drivingFactor(cell);
	return PainPointDetailSchema.parse({
		id: input.id,
		by,
		stage: where.stage,
		touchpoint: where.touchpoint,
		cell,
		worstChannel: worst?.channel ?? '',
		worstChannelBy: worst ? worstRate(worst) : null,
		interval: trend.interval,
		trend: trend.rows.map((r) => ({
			bucket: r.bucket,
			interactions: r.metrics.interactions,
			complaintRate: measuredComplaintRate(r.metrics),
			csat: r.metrics.csat,
			badness: bucketBadness(r.metrics, a.baseline as Baseline, a.settings)
		})),
		segmentFactor: factor,
		segments: segmentRows(segs, factor, a.settings),
		terms: salientTerms(target.map(doc), contrast, 15),
		verbatims,
		interactions: { total, page: input.page, pageSize: input.pageSize, rows: page }
	});
}
