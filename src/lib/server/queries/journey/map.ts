/**
 * Why this exists: `journey.map` — the journey map's cells (touchpoint × channel), touchpoints (all
 * channels: the pain points) and stages (the emotion curve), each with its severity from the model
 * in severity.ts and its previous-period values for the comparison arrows. Reads the roll-ups only.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { sqlTemplate } from '$db/sql-template';
import { STAGES } from '$schemas/entities';
import {
	FACTOR_KPI,
	FACTORS,
	JourneyMapSchema,
	SeveritySettingsSchema,
	type CellMetrics,
	type JourneyCell,
	type JourneyFilter,
	type JourneyMap,
	type PainPointKind,
	type SeveritySettings
} from '$schemas/journey';
import { num } from '$schemas/fields';
import { kpiSample, kpiValue, measureShape } from '$schemas/metrics';
import { cached, perSecond } from '../../kept';
import { measureList, sumsOf } from '../metrics';
import { readSetting } from '../settings/settings';
import { reasonParams } from '../reasons/dictionary';
import {
	customersGrain,
	coarseSums,
	CUSTOMERS_COARSE_SOURCE,
	CUSTOMERS_REACH_SOURCE,
	JOURNEY_COARSE_SOURCE,
	REASON_COARSE_SOURCE,
	JOURNEY_SOURCE,
	journeyParams,
	previousPeriod,
	REASON_SOURCE
} from './filter';
import customersSql from './customers.sql?raw';
import sql from './map.sql?raw';
import { assess } from './severity';

/** The level a GROUPING SETS row aggregates (grouping() is 1 for a column aggregated away). */
const LEVEL = `multiIf(grouping(stage, touchpoint, channel) = 0, 'cell', grouping(stage, touchpoint, channel) = 1, 'touchpoint',
        grouping(stage, touchpoint, channel) = 3, 'stage', 'total')`;

const SOURCES = {
	fine: { touchpoint: JOURNEY_SOURCE, reason: REASON_SOURCE },
	coarse: { touchpoint: JOURNEY_COARSE_SOURCE, reason: REASON_COARSE_SOURCE }
} as const;
type Grain = keyof typeof SOURCES;
const AUTHORS = "uniqCombinedMergeIf(14)(src.authors, src.tier = '')";
/**
 * The map's sums from the fine reason roll-up, or from the coarse one when the filter allows
 * (coarseSums); keyed by touchpoint or by contact reason. `reach: false` leaves out the anonymous
 * authors' merge (half of a pass's work): the previous period is judged on rates only.
 */
const mapSql = (grain: Grain, by: PainPointKind, reach = true) =>
	sqlTemplate(sql, {
		level: LEVEL,
		authors: reach ? AUTHORS : 'toUInt64(0)',
		measures: measureList(grain === 'coarse' ? 'reasonsCoarse' : 'journey'),
		source: SOURCES[grain][by]
	});
export const MAP_SQL = mapSql('fine', 'touchpoint');
export const COARSE_MAP_SQL = mapSql('coarse', 'touchpoint');
export const REASON_MAP_SQL = mapSql('fine', 'reason');
export const COARSE_REASON_MAP_SQL = mapSql('coarse', 'reason');
const MAP_BY = {
	fine: { touchpoint: MAP_SQL, reason: REASON_MAP_SQL },
	coarse: { touchpoint: COARSE_MAP_SQL, reason: COARSE_REASON_MAP_SQL }
} as const;
export const RATES_MAP_BY = {
	fine: { touchpoint: mapSql('fine', 'touchpoint', false), reason: mapSql('fine', 'reason', false) },
	coarse: { touchpoint: mapSql('coarse', 'touchpoint', false), reason: mapSql('coarse', 'reason', false) }
} as const;
export const CUSTOMERS_SQL = {
	reach: sqlTemplate(customersSql, { level: LEVEL, source: CUSTOMERS_REACH_SOURCE }),
	coarse: sqlTemplate(customersSql, { level: LEVEL, source: CUSTOMERS_COARSE_SOURCE }),
	fine: sqlTemplate(customersSql, { level: LEVEL, source: JOURNEY_SOURCE })
};
export const REASON_CUSTOMERS_SQL = sqlTemplate(customersSql, { level: LEVEL, source: REASON_SOURCE });
export const SEVERITY_KEY = 'journey.severity';

/** A row of the journey roll-up's summed measures: what every journey query reads per cell or bucket. */
export const JourneySumsSchema = z.object(measureShape(sumsOf('journey')));
export type JourneySums = z.infer<typeof JourneySumsSchema>;

const RowSchema = JourneySumsSchema.extend({
	stage: z.string(),
	touchpoint: z.string(),
	channel: z.string(),
	level: z.enum(['cell', 'touchpoint', 'stage', 'total']),
	hv_interactions: num,
	authors: num,
	unattributed: num,
	complaint_measured: num,
	complaint_like: num
});
/** What a trend bucket carries besides the sums (no reach: a bucket is not ranked). */
export type ComplaintSums = { complaint_measured?: number; complaint_like?: number };
export type MapRow = Omit<
	z.infer<typeof RowSchema>,
	'authors' | 'unattributed' | 'complaint_measured' | 'complaint_like'
> &
	ComplaintSums & { customers: number; authors?: number; unattributed?: number };
const CustomersRowSchema = z.object({
	stage: z.string(),
	touchpoint: z.string(),
	channel: z.string(),
	level: z.string(),
	customers: num
});
export type LeveledMetrics = CellMetrics & { level: MapRow['level'] };

/**
 * The complaint factor: complaints among contacts from sources that flag them; with `infer`,
 * contacts from sources without the flag count when strongly negative or complaint-like.
 */
function complaintFactor(r: MapRow, infer: boolean): { rate: number | null; sample: number } {
	if (r.complaint_measured === undefined) {
		return { rate: kpiValue('complaintRate', r), sample: kpiSample('complaintRate', r) };
	}
	const unmeasured = infer ? r.interactions - r.complaint_measured : 0;
	const sample = r.complaint_measured + unmeasured;
	const count = r.complaints + (infer ? (r.complaint_like ?? 0) : 0);
	return { rate: sample ? count / sample : null, sample };
}

/** Roll-up sums → rates and means (a rate is null when nothing was measured). */
export function toMetrics(r: MapRow, opts: { inferComplaints?: boolean } = {}): LeveledMetrics {
	const rates = {} as CellMetrics['rates'];
	const samples = {} as CellMetrics['samples'];
	for (const f of FACTORS) {
		rates[f] = kpiValue(FACTOR_KPI[f], r);
		samples[f] = kpiSample(FACTOR_KPI[f], r);
	}
	const complaint = complaintFactor(r, opts.inferComplaints ?? true);
	rates.complaint = complaint.rate;
	samples.complaint = complaint.sample;
	return {
		level: r.level,
		stage: r.level === 'total' ? '' : r.stage,
		touchpoint: r.level === 'stage' || r.level === 'total' ? '' : r.touchpoint,
		channel: r.level === 'cell' ? r.channel : '',
		interactions: r.interactions,
		customers: r.customers,
		hvInteractions: r.hv_interactions,
		complaints: r.complaints,
		csat: kpiValue('csat', r),
		sentiment: kpiValue('sentiment', r),
		fcr: kpiValue('fcr', r),
		avgHandleSeconds: kpiValue('aht', r),
		rates,
		samples,
		...(r.authors === undefined ? {} : { authors: r.authors, unattributed: r.unattributed ?? 0 }),
		...(r.complaint_measured === undefined
			? {}
			: { complaintMeasured: r.complaint_measured, complaintLike: r.complaint_like ?? 0 })
	};
}

/** Complaints per contact of the sources that flag them (null: not measured), as the pages show it. */
export function measuredComplaintRate(m: CellMetrics): number | null {
	const measured = m.complaintMeasured ?? m.interactions;
	return measured ? m.complaints / measured : null;
}

const COMPLAINT_SOURCES_SQL = `SELECT source FROM reason_monthly GROUP BY source HAVING sum(complaints) > 0`;

const sources = perSecond(async (client) => {
	const rs = await client.query({ query: COMPLAINT_SOURCES_SQL, format: 'JSONEachRow' });
	return (await rs.json<{ source: string }>()).map((r) => r.source);
});

/**
 * Sources that flag complaints: those with at least one flagged contact. A source whose mapping
 * sets no complaint field stores every contact unflagged, so its complaint rate is "not measured",
 * not 0 %. Every journey query of a request (and of a burst of requests) reads it (perSecond).
 */
export function complaintSources(request: ClickHouseClient): Promise<string[]> {
	return sources.get(request);
}

export async function readSeveritySettings(client: ClickHouseClient): Promise<SeveritySettings> {
	return readSetting(client, SEVERITY_KEY, SeveritySettingsSchema);
}

export async function queryCells(
	client: ClickHouseClient,
	filter: JourneyFilter,
	settings: SeveritySettings,
	opts: { customers?: boolean; by?: PainPointKind } = {}
): Promise<LeveledMetrics[]> {
	const byReason = opts.by === 'reason';
	const query_params = {
		...journeyParams(filter, settings, await reasonParams(client, filter.reasons)),
		complaint_sources: await complaintSources(client)
	};
	// Sums from the fine roll-up and distinct customers from the coarse one, in parallel. The
	// previous period needs no customers nor authors (arrows and trend use rates), which skips the
	// costly merges.
	const [sums, customers] = await Promise.all([
		client
			.query({
				query: (opts.customers === false ? RATES_MAP_BY : MAP_BY)[coarseSums(filter) ? 'coarse' : 'fine'][
					opts.by ?? 'touchpoint'
				],
				query_params,
				format: 'JSONEachRow'
			})
			.then((rs) => rs.json()),
		opts.customers === false
			? Promise.resolve([])
			: client
					.query({
						query: byReason ? REASON_CUSTOMERS_SQL : CUSTOMERS_SQL[customersGrain(filter)],
						query_params,
						format: 'JSONEachRow'
					})
					.then((rs) => rs.json())
	]);
	const key = (r: { level: string; stage: string; touchpoint: string; channel: string }) =>
		`${r.level}\u001f${r.stage}\u001f${r.touchpoint}\u001f${r.channel}`;
	const byKey = new Map(
		z
			.array(CustomersRowSchema)
			.parse(customers)
			.map((c) => [key(c), c])
	);
	return z
		.array(RowSchema)
		.parse(sums)
		.map((r) => {
			const c = byKey.get(key(r));
			return toMetrics({ ...r, customers: c?.customers ?? 0 }, settings);
		});
}

const OPTIONS_SQL = `SELECT arraySort(groupUniqArrayIf(region, region != '')) AS regions,
    arraySort(groupUniqArrayIf(intent, intent != '')) AS intents
FROM journey_monthly WHERE region != '' OR intent != ''`;

// The filter's region and intent choices change only when data is ingested, while reading them
// scans the monthly roll-up and competes with the map's own queries for the cores, so they are kept
// for a minute.
const OPTIONS_TTL_MS = 60_000;
let optionsCache: { at: number; value: Promise<{ regions: string[]; intents: string[] }[]> } | undefined;

function filterOptions(client: ClickHouseClient) {
	if (!optionsCache || Date.now() - optionsCache.at > OPTIONS_TTL_MS) {
		const value = client
			.query({ query: OPTIONS_SQL, format: 'JSONEachRow' })
			.then((rs) => rs.json<{ regions: string[]; intents: string[] }>());
		optionsCache = { at: Date.now(), value };
		value.catch(() => (optionsCache = undefined));
	}
	return optionsCache.value;
}

const cellKey = (c: CellMetrics) => `${c.stage}\u001f${c.touchpoint}\u001f${c.channel}`;

/** Stages in the configured order, then any others the data has (unassigned '' last). */
export function orderStages(found: string[]): string[] {
	const known = STAGES.filter((s) => found.includes(s));
	const extra = found.filter((s) => s && !(STAGES as readonly string[]).includes(s)).sort();
	return [...known, ...extra];
}

export interface Assessed {
	cur: LeveledMetrics[];
	cells: JourneyCell[];
	touchpoints: JourneyCell[];
	stageCells: JourneyCell[];
	baseline: JourneyMap['baseline'];
	prevPeriod: { from: string; to: string };
	settings: SeveritySettings;
}

/**
 * The current and previous period's cells, each level assessed against its own baseline. The map,
 * the pain-point list and every pain point's page of one filter assess the same cells, so the
 * assessment is kept per (data version, filter, settings): opening a pain point from the list does
 * not recompute the map's queries. `by: 'reason'` assesses contact reasons against each other
 * instead of touchpoints (pain points by reason).
 */
export async function assessJourney(
	client: ClickHouseClient,
	filter: JourneyFilter,
	known?: SeveritySettings,
	by: PainPointKind = 'touchpoint'
): Promise<Assessed> {
	const settings = known ?? (await readSeveritySettings(client));
	// The dictionary is part of the key: an edited reason moves its rows without new data.
	const reasons = await reasonParams(client);
	return cached(client, ['assessJourney', filter, settings, reasons, by], () =>
		computeAssessment(client, filter, settings, by)
	);
}

async function computeAssessment(
	client: ClickHouseClient,
	filter: JourneyFilter,
	settings: SeveritySettings,
	by: PainPointKind
): Promise<Assessed> {
	const prevPeriod = previousPeriod(filter.from, filter.to);
	const [cur, prev] = await Promise.all([
		queryCells(client, filter, settings, { by }),
		queryCells(client, { ...filter, ...prevPeriod }, settings, { customers: false, by })
	]);
	const prevByKey = new Map(prev.map((p) => [`${p.level}\u001f${cellKey(p)}`, p]));
	const level = (rows: LeveledMetrics[], l: LeveledMetrics['level']) =>
		// Unassigned interactions are counted, never judged: they have no touchpoint to fix.
		rows.filter((r) => r.level === l && r.stage !== '');
	const build = (l: LeveledMetrics['level']) => {
		const cells = level(cur, l);
		const { results, baseline } = assess(cells, level(prev, l), settings, cellKey);
		return {
			baseline,
			cells: cells.map((c): JourneyCell => {
				const p = prevByKey.get(`${l}\u001f${cellKey(c)}`);
				const { level: _level, ...metrics } = c;
				void _level;
				return {
					...metrics,
					severity: results.get(cellKey(c))!,
					previous: p
						? {
								interactions: p.interactions,
								csat: p.csat,
								sentiment: p.sentiment,
								complaints: p.complaints,
								complaintRate: measuredComplaintRate(p)
							}
						: null
				};
			})
		};
	};
	const tp = build('touchpoint');
	return {
		cur,
		cells: build('cell').cells,
		touchpoints: tp.cells,
		stageCells: build('stage').cells,
		baseline: tp.baseline,
		prevPeriod,
		settings
	};
}

export async function getJourneyMap(client: ClickHouseClient, filter: JourneyFilter): Promise<JourneyMap> {
	const [a, options] = await Promise.all([assessJourney(client, filter), filterOptions(client)]);
	const stageRows = a.cur.filter((r) => r.level === 'stage');
	const total = stageRows.reduce((s, r) => s + r.interactions, 0);
	const unassigned = stageRows.find((r) => r.stage === '')?.interactions ?? 0;
	// Distinct customers over all stages: not a sum of stages (a customer crosses stages).
	const customers = a.cur.find((r) => r.level === 'total')?.customers ?? 0;
	return JourneyMapSchema.parse({
		filter: { from: filter.from, to: filter.to, prevFrom: a.prevPeriod.from, prevTo: a.prevPeriod.to },
		stages: orderStages(stageRows.map((r) => r.stage)),
		stageCells: a.stageCells,
		touchpoints: a.touchpoints,
		cells: a.cells,
		unassigned: { interactions: unassigned, share: total ? unassigned / total : 0 },
		totals: { interactions: total, customers },
		baseline: a.baseline,
		thresholds: a.settings.thresholds,
		options: options[0] ?? { regions: [], intents: [] }
	});
}
