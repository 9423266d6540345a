/**
 * Why this exists: after a model change (`npm run train:text`), stored interactions still carry the
 * old scores. `npm run enrich -- --since DATE` re-scores them without duplicating rows and keeps
 * every roll-up fed from `interactions` (kpi_daily, kpi_monthly, …) consistent.
 *
 * How: month by month (interactions are partitioned by toYYYYMM(ts)), the fields the text enricher
 * filled (attributes.text_enriched; a source's own values are never touched) are recomputed in JS.
 * If anything changed, the month's rows are copied with the new values into a staging table, the
 * month's rows are deleted from the roll-ups that aggregate by date, the partition is dropped, and
 * the staged rows are inserted again through the normal insert path, so the materialised views
 * rebuild that month's roll-ups exactly once. A staging table left by an interrupted run is put
 * back at the start of the next run, so no rows are lost.
 */
import type { Db } from '../../src/lib/server/db/client';
import type { Interaction } from '../../schemas/entities';
import { ENRICHED_ATTRIBUTE, enrichRecord } from '../enrich/text';
import { loadModels } from './analyze';

const STAGE_PREFIX = 'enrich_stage_';
const CHANGES = 'enrich_changes';
const CHANGED_COLUMNS = ['language', 'sentiment', 'intent', 'scenario', 'attributes'] as const;

export interface RescoreSummary {
	months: number;
	scanned: number;
	changed: number;
	seconds: number;
}

interface StoredText {
	interaction_id: string;
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

/** Replaces month `m`'s rows (and its roll-up rows) with the rows in `stage`. */
async function swapMonth(db: Db, m: number, stage: string, columns: string[], rollups: Rollup[]) {
	for (const r of rollups)
		if (r.dateColumn) await run(db, `ALTER TABLE ${r.table} DELETE WHERE toYYYYMM(${r.dateColumn}) = {m:UInt32}`, { m });
	await run(db, `ALTER TABLE interactions DROP PARTITION ${m}`);
	const list = columns.map((c) => `\`${c}\``).join(', ');
	await run(db, `INSERT INTO interactions (${list}) SELECT ${list} FROM ${stage}`);
	await run(db, `DROP TABLE ${stage}`);
}

/** Puts back a month whose swap was interrupted (its staging table is still there). */
async function recover(db: Db, columns: string[], rollups: Rollup[], log: (s: string) => void) {
	const left = await query<{ name: string }>(
		db,
		`SELECT name FROM system.tables WHERE database = currentDatabase() AND startsWith(name, {p:String})`,
		{ p: STAGE_PREFIX }
	);
	for (const { name } of left) {
		const m = Number(name.slice(STAGE_PREFIX.length));
		if (!Number.isInteger(m)) continue;
		log(`enrich: finishing the interrupted re-scoring of month ${m}`);
		await swapMonth(db, m, name, columns, rollups);
	}
}

export async function rescore(
	db: Db,
	opts: { since: Date; log?: (line: string) => void; batch?: number }
): Promise<RescoreSummary> {
	const log = opts.log ?? (() => undefined);
	const started = Date.now();
	const models = loadModels();
	const columns = await interactionColumns(db);
	const rollups = await rollupsOfInteractions(db);
	await recover(db, columns, rollups, log);
	const since = opts.since.getTime();
	const months = (
		await query<{ m: number }>(
			db,
			`SELECT DISTINCT toYYYYMM(ts) AS m FROM interactions WHERE ts >= fromUnixTimestamp64Milli({since:Int64}) ORDER BY m`,
			{ since }
		)
	).map((r) => Number(r.m));
	const summary: RescoreSummary = { months: 0, scanned: 0, changed: 0, seconds: 0 };
	await run(db, `DROP TABLE IF EXISTS ${CHANGES}`);
	for (const m of months) {
		const rs = await db.client.query({
			query: `SELECT interaction_id, text, language, sentiment, intent, scenario, attributes FROM interactions
				WHERE toYYYYMM(ts) = {m:UInt32} AND ts >= fromUnixTimestamp64Milli({since:Int64}) AND text != ''`,
			query_params: { m, since },
			format: 'JSONEachRow'
		});
		const changes: StoredText[] = [];
		for await (const rows of rs.stream<StoredText>()) {
			for (const row of rows) {
				const s = row.json();
				summary.scanned++;
				const before = { language: s.language, sentiment: s.sentiment, intent: s.intent, scenario: s.scenario, a: s.attributes[ENRICHED_ATTRIBUTE] ?? '' };
				const refill = new Set((s.attributes[ENRICHED_ATTRIBUTE] ?? '').split(',').filter(Boolean));
				const r = s as unknown as Interaction;
				r.sentiment = s.sentiment === null ? null : Number(s.sentiment);
				for (const f of refill) {
					// Clear what we filled last time so the record looks as the source sent it.
					if (f === 'sentiment') r.sentiment = null;
					else if (f === 'language' || f === 'intent' || f === 'scenario') r[f] = '';
				}
				enrichRecord(r, models);
				const after = { language: r.language, sentiment: r.sentiment, intent: r.intent, scenario: r.scenario, a: r.attributes[ENRICHED_ATTRIBUTE] ?? '' };
				const same =
					before.language === after.language &&
					before.intent === after.intent &&
					before.scenario === after.scenario &&
					before.a === after.a &&
					(before.sentiment === null ? after.sentiment === null : after.sentiment !== null && Math.abs(Number(before.sentiment) - after.sentiment) < 5e-4);
				if (!same) changes.push(s);
			}
		}
		if (!changes.length) continue;
		summary.months++;
		summary.changed += changes.length;
		const stage = `${STAGE_PREFIX}${m}`;
		await run(
			db,
			`CREATE TABLE ${CHANGES} (interaction_id String, language String, sentiment Nullable(Float32), intent String, scenario String, attributes Map(String, String)) ENGINE = Memory`
		);
		for (let i = 0; i < changes.length; i += opts.batch ?? 50_000)
			await db.client.insert({
				table: CHANGES,
				format: 'JSONEachRow',
				values: changes.slice(i, i + (opts.batch ?? 50_000)).map((c) => ({
					interaction_id: c.interaction_id,
					language: c.language,
					sentiment: c.sentiment,
					intent: c.intent,
					scenario: c.scenario,
					attributes: c.attributes
				}))
			});
		const select = columns
			.map((c) =>
				(CHANGED_COLUMNS as readonly string[]).includes(c)
					? `if(c.interaction_id = '', i.\`${c}\`, c.\`${c}\`) AS \`${c}\``
					: `i.\`${c}\` AS \`${c}\``
			)
			.join(', ');
		// The staging table is a real table (not Memory) so an interrupted swap can be finished.
		await run(db, `DROP TABLE IF EXISTS ${stage}`);
		await run(db, `CREATE TABLE ${stage} AS interactions`);
		await run(
			db,
			`INSERT INTO ${stage} SELECT ${select} FROM interactions AS i
			 LEFT JOIN ${CHANGES} AS c ON c.interaction_id = i.interaction_id
			 WHERE toYYYYMM(i.ts) = {m:UInt32}
			 SETTINGS join_use_nulls = 0`,
			{ m }
		);
		await run(db, `DROP TABLE ${CHANGES}`);
		await swapMonth(db, m, stage, columns, rollups);
		log(`enrich: ${m}: ${changes.length} interactions re-scored`);
	}
	summary.seconds = (Date.now() - started) / 1000;
	return summary;
}
