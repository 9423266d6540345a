/**
 * Why this exists: after a model change (`npm run train:text`), stored interactions still carry the
 * old scores. `npm run enrich -- --since DATE` re-scores them without duplicating rows and keeps
 * every roll-up fed from `interactions` (kpi_daily, kpi_monthly, …) consistent.
 *
 * How: the fields Touchmap filled (attributes.text_enriched: the text models' language, sentiment,
 * intent and scenario, the stage and touchpoint a journey rule gave; a source's own values are never
 * touched) are recomputed in JS — text models, custom intents, contact reason, journey rules in
 * force — for every stored row from DATE on, and the changed ones
 * collected in a Memory table. The months (interactions are partitioned by toYYYYMM(ts)) holding a
 * change are copied whole, with the new values, into a staging table; when that copy is complete it
 * is renamed (atomically) to enrich_stage_ready. Then those months are deleted from every roll-up
 * fed by `interactions` (two mutations, by each roll-up's date column), their partitions dropped,
 * and the staged rows inserted again through the normal insert path, so the materialised views
 * rebuild those months exactly once. A ready staging table left by an interrupted run is swapped in
 * at the start of the next run, so no rows are lost; an incomplete one is simply dropped.
 */
import type { Db } from '../../../db/client';
import type { Interaction } from '../../../schemas/entities';
import type { ReasonModel } from '../../../schemas/reasons';
import { assignRecordReason, loadIngestReasonModel, REASON_ATTRIBUTE } from '../reasons/enricher';
import { compileIntents, loadCustomIntents } from '../custom-intents';
import { applyRules, compileRules, loadJourneyRules } from '../journey-rules';
import { clearFilled, ENRICHED_ATTRIBUTE, enrichRecord, prefetchTextAnalyses } from '../text-enricher';
import { loadModels } from './analyze';

const STAGE = 'enrich_stage';
/** The staging table once it is complete (renamed atomically): only this one is ever swapped in. */
const READY = 'enrich_stage_ready';
const CHANGES = 'enrich_changes';
const CHANGED_COLUMNS = ['language', 'sentiment', 'intent', 'scenario', 'stage', 'touchpoint', 'attributes'] as const;

export interface RescoreSummary {
	months: number;
	scanned: number;
	changed: number;
	seconds: number;
}

interface StoredText {
	interaction_id: string;
	source: string;
	channel: string;
	stage: string;
	touchpoint: string;
	text: string;
	language: string;
	sentiment: number | null;
	intent: string;
	scenario: string;
	attributes: Record<string, string>;
}

async function query<T>(db: Db, sql: string, params: Record<string, unknown> = {}): Promise<T[]> {
	const rs = await db.client.query({ query: sql, query_params: params, format: 'JSONEachRow' });
	return rs.json<T>();
}
const run = (db: Db, sql: string, params: Record<string, unknown> = {}) =>
	db.client.command({ query: sql, query_params: params, clickhouse_settings: { mutations_sync: '2' } });

interface Rollup {
	table: string;
	/** Date column to delete one month by; null for ReplacingMergeTree targets (re-insert replaces). */
	dateColumn: string | null;
}

/** Every table fed (directly or through a chain of views) by inserts into `interactions`. */
export async function rollupsOfInteractions(db: Db): Promise<Rollup[]> {
	const tables = await query<{ name: string; engine: string; create_table_query: string; deps: string[] }>(
		db,
		`SELECT name, engine, create_table_query, dependencies_table AS deps
		 FROM system.tables WHERE database = currentDatabase()`
	);
	const byName = new Map(tables.map((t) => [t.name, t]));
	const out: Rollup[] = [];
	const seen = new Set<string>();
	const visit = async (source: string) => {
		for (const mv of byName.get(source)?.deps ?? []) {
			const view = byName.get(mv);
			const target = view?.create_table_query.match(/\bTO\s+(?:`?[\w]+`?\.)?`?(\w+)`?/)?.[1];
			if (!target || seen.has(target)) continue;
			seen.add(target);
			const engine = byName.get(target)?.engine ?? '';
			let dateColumn: string | null = null;
			if (!engine.startsWith('Replacing')) {
				const cols = await query<{ name: string }>(
					db,
					`SELECT name FROM system.columns WHERE database = currentDatabase() AND table = {t:String}
					 AND is_in_sorting_key AND type LIKE 'Date%' ORDER BY position LIMIT 1`,
					{ t: target }
				);
				dateColumn = cols[0]?.name ?? null;
				if (!dateColumn)
					throw new Error(
						`enrich: roll-up ${target} (fed from interactions by ${mv}) has no date in its sorting key, so its month cannot be rebuilt; re-scoring would count rows twice there`
					);
			}
			out.push({ table: target, dateColumn });
			await visit(target);
		}
	};
	await visit('interactions');
	return out;
}

async function interactionColumns(db: Db): Promise<string[]> {
	const cols = await query<{ name: string }>(
		db,
		`SELECT name FROM system.columns WHERE database = currentDatabase() AND table = 'interactions'
		 AND default_kind NOT IN ('MATERIALIZED', 'ALIAS', 'EPHEMERAL') ORDER BY position`
	);
	return cols.map((c) => c.name);
}

/** Replaces the months held in READY (rows and roll-up rows) with READY's rows. Idempotent. */
async function swapIn(db: Db, columns: string[], rollups: Rollup[]): Promise<number[]> {
	const months = (await query<{ m: number }>(db, `SELECT DISTINCT toYYYYMM(ts) AS m FROM ${READY} ORDER BY m`)).map(
		(r) => Number(r.m)
	);
	if (months.length) {
		for (const r of rollups)
			if (r.dateColumn)
				await run(db, `ALTER TABLE ${r.table} DELETE WHERE toYYYYMM(${r.dateColumn}) IN {months:Array(UInt32)}`, {
					months
				});
		for (const m of months) await run(db, `ALTER TABLE interactions DROP PARTITION ${Number(m)}`);
		const list = columns.map((c) => `\`${c}\``).join(', ');
		await run(db, `INSERT INTO interactions (${list}) SELECT ${list} FROM ${READY}`);
	}
	await run(db, `DROP TABLE ${READY}`);
	return months;
}

async function exists(db: Db, table: string): Promise<boolean> {
	const r = await query<{ n: number }>(
		db,
		`SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = {t:String}`,
		{ t: table }
	);
	return Number(r[0]?.n) > 0;
}

export async function rescore(
	db: Db,
	opts: {
		since: Date;
		log?: (line: string) => void;
		batch?: number;
		reasons?: ReasonModel | null;
		/** Told how far the scan is (texts scanned of `total`) after each batch. */
		progress?: (p: { scanned: number; total: number; changed: number }) => void;
	}
): Promise<RescoreSummary> {
	// TRICKY: the swap below (CREATE … AS interactions, RENAME, DROP PARTITION on one node) has no
	// cluster form yet; refuse rather than leave Distributed and local tables out of step.
	if (db.cluster)
		throw new Error('re-scoring stored interactions is not supported on a ClickHouse cluster yet (CLICKHOUSE_CLUSTER)');
	const log = opts.log ?? (() => undefined);
	const started = Date.now();
	const models = loadModels();
	// Contact reasons are re-assigned with the deployment's current model (or the one given).
	const reasons = opts.reasons !== undefined ? opts.reasons : await loadIngestReasonModel(db);
	// The journey rules and custom intents in force are applied again too.
	const rules = compileRules(await loadJourneyRules({ db }));
	const intents = compileIntents(await loadCustomIntents({ db }));
	const columns = await interactionColumns(db);
	const rollups = await rollupsOfInteractions(db);
	// An interrupted run: a complete staging table is swapped in; an incomplete one is dropped
	// (nothing had been changed yet).
	if (await exists(db, READY)) {
		const months = await swapIn(db, columns, rollups);
		log(`enrich: finished an interrupted re-scoring of ${months.length} months`);
	}
	await run(db, `DROP TABLE IF EXISTS ${STAGE}`);
	await run(db, `DROP TABLE IF EXISTS ${CHANGES}`);
	await run(
		db,
		`CREATE TABLE ${CHANGES} (interaction_id String, language String, sentiment Nullable(Float32), intent String, scenario String,
			stage String, touchpoint String, attributes Map(String, String)) ENGINE = Memory`
	);
	const since = opts.since.getTime();
	const summary: RescoreSummary = { months: 0, scanned: 0, changed: 0, seconds: 0 };
	const months = new Set<number>();
	const batchSize = opts.batch ?? 50_000;
	let pending: (Pick<StoredText, (typeof CHANGED_COLUMNS)[number]> & { interaction_id: string })[] = [];
	const flush = async () => {
		if (pending.length) await db.client.insert({ table: CHANGES, format: 'JSONEachRow', values: pending });
		pending = [];
	};
	// Rows with a text, and rows the rules may give a stage (none yet, or one a rule gave).
	const scope = `ts >= fromUnixTimestamp64Milli({since:Int64})
		AND (text != '' OR {reasons:UInt8} = 1 OR stage = '' OR touchpoint = '' OR attributes['${ENRICHED_ATTRIBUTE}'] != '')`;
	const params = { since, reasons: reasons ? 1 : 0 };
	const [counted] = await query<{ n: string }>(db, `SELECT count() AS n FROM interactions WHERE ${scope}`, params);
	const total = Number(counted?.n ?? 0);
	opts.progress?.({ scanned: 0, total, changed: 0 });
	const rs = await db.client.query({
		query: `SELECT interaction_id, toYYYYMM(ts) AS m, source, channel, stage, touchpoint, text, language, sentiment, intent,
			scenario, is_complaint, attributes FROM interactions WHERE ${scope}`,
		query_params: params,
		format: 'JSONEachRow'
	});
	for await (const batch of rs.stream<StoredText & { m: number; is_complaint: boolean | number }>()) {
		const rows = batch.map((row) => {
			const s = row.json();
			const mark = s.attributes[ENRICHED_ATTRIBUTE] ?? '';
			const before = [
				s.language,
				s.sentiment === null ? null : Number(s.sentiment),
				s.intent,
				s.scenario,
				mark,
				s.stage,
				s.touchpoint
			] as const;
			const r = { ...s, sentiment: before[1], is_complaint: Boolean(Number(s.is_complaint)) } as unknown as Interaction;
			// Clear what we filled last time so the record looks as the source sent it.
			clearFilled(r);
			return { s, mark, before, r };
		});
		// The batch's texts on the worker pool first (every core).
		await prefetchTextAnalyses(rows.map((x) => x.r));
		for (const { s, mark, before, r } of rows) {
			summary.scanned++;
			enrichRecord(r, models, undefined, intents);
			assignRecordReason(r, reasons);
			applyRules([r], rules, s.source);
			const same =
				before[5] === r.stage &&
				before[6] === r.touchpoint &&
				(s.attributes[REASON_ATTRIBUTE] ?? '') === (r.attributes[REASON_ATTRIBUTE] ?? '') &&
				before[0] === r.language &&
				before[2] === r.intent &&
				before[3] === r.scenario &&
				mark === (r.attributes[ENRICHED_ATTRIBUTE] ?? '') &&
				(before[1] === null ? r.sentiment === null : r.sentiment !== null && Math.abs(before[1] - r.sentiment) < 5e-4);
			if (same) continue;
			summary.changed++;
			months.add(Number(s.m));
			pending.push({
				interaction_id: s.interaction_id,
				language: r.language,
				sentiment: r.sentiment,
				intent: r.intent,
				scenario: r.scenario,
				stage: r.stage,
				touchpoint: r.touchpoint,
				attributes: r.attributes
			});
			if (pending.length >= batchSize) await flush();
		}
		opts.progress?.({ scanned: summary.scanned, total, changed: summary.changed });
	}
	await flush();
	if (months.size) {
		const select = columns
			.map((c) =>
				(CHANGED_COLUMNS as readonly string[]).includes(c)
					? `if(c.interaction_id = '', i.\`${c}\`, c.\`${c}\`) AS \`${c}\``
					: c === 'tier'
						? // Rows stored before interactions carried the tier (20261124_0100) get the customer's
							// tier now, as journey_daily_mv looked it up when it re-rolled them.
							"if(i.customer_id != '' AND i.tier = '', t.tier, i.tier) AS tier"
						: `i.\`${c}\` AS \`${c}\``
			)
			.join(', ');
		// A real table (not Memory), renamed when complete, so an interrupted swap can be finished.
		await run(db, `CREATE TABLE ${STAGE} AS interactions`);
		await run(
			db,
			`INSERT INTO ${STAGE} SELECT ${select} FROM interactions AS i
			 LEFT JOIN ${CHANGES} AS c ON c.interaction_id = i.interaction_id
			 LEFT JOIN (SELECT customer_id, argMax(tier, updated_at) AS tier FROM customers
				WHERE customer_id IN (SELECT customer_id FROM interactions WHERE toYYYYMM(ts) IN {months:Array(UInt32)})
				GROUP BY customer_id) AS t ON t.customer_id = i.customer_id
			 WHERE toYYYYMM(i.ts) IN {months:Array(UInt32)}
			 SETTINGS join_use_nulls = 0`,
			{ months: [...months] }
		);
		await run(db, `RENAME TABLE ${STAGE} TO ${READY}`);
		summary.months = (await swapIn(db, columns, rollups)).length;
		log(`enrich: ${summary.changed} interactions re-scored in ${summary.months} months`);
	}
	await run(db, `DROP TABLE IF EXISTS ${CHANGES}`);
	summary.seconds = (Date.now() - started) / 1000;
	return summary;
}
