/**
 * Why this exists: the fast ingest path (ingest/sql-mapping.ts has the why). ClickHouse reads the
 * file itself (`file(…, 'LineAsString')`, streamed, never held whole), maps and validates every
 * line with the compiled SELECT into a per-run MergeTree stage; JS only touches DISTINCT enrichment
 * inputs (identifiers for identity, text + rule inputs for text analysis and journey rules) and
 * writes their answers to two small lookup tables that the final INSERT … SELECTs join. The
 * final insert is the loader's: a record whose key is stored already is not written again, the
 * first of a key repeated within the file wins, and interactions take segment/region/tier from their
 * customer — so idempotency and the roll-ups are exactly as with the JS path.
 *
 * It returns `{ fallback: why }` (having written nothing) when it cannot run: a ClickHouse server
 * (it cannot read our local file), a mapping the compiler cannot express, or a CSV file with a
 * quoted field spanning lines.
 */
import { openSync, readSync, closeSync } from 'node:fs';
import { resolve } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { z } from 'zod';
import type { Db } from '../../../db/client';
import type { Customer, Interaction } from '../../../schemas/entities';
import type { Mapping } from '../../../schemas/mapping';
import { applyRules, compileRules, loadJourneyRules } from '../../enrichment/journey-rules';
import { ENRICHED_FIELDS, enrichRecord, warmTextModels } from '../../enrichment/text-enricher';
import { interactionIdentifiers, linkCustomers, lookupIdentifiers } from '../../enrichment/identity/resolve';
import { SOCIAL } from '../../enrichment/identity/normalize';
import { CUSTOMER_FIELDS, ENTITIES, INTERACTION_COLUMNS } from '../loader';
import { parseNdjsonLine, splitCsv } from '../../sources/readers';
import { compileSqlMapping, UNPARSED } from '../../mapping/sql/compile';
import { sqlString } from '../../mapping/sql/literal';
import { spacesIn } from '../../mapping/sql/trim';
import { loadModels, type Models } from '../../enrichment/text/analyze';

export interface FastCounts {
	accepted: number;
	rejected: number;
	duplicates: number;
	steps: StepTimes;
}

/** Reads a CSV file's header line (BOM and quoting handled as the JS reader does). */
function csvHeader(file: string, delimiter: string): string[] {
	const fd = openSync(file, 'r');
	try {
		const buf = Buffer.alloc(1 << 16);
		const n = readSync(fd, buf, 0, buf.length, 0);
		let text = buf.subarray(0, n).toString('utf8');
		if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
		const { records } = splitCsv(text, delimiter, n < buf.length);
		return (records[0]?.fields ?? []).map((h) => h.trim());
	} finally {
		closeSync(fd);
	}
}

/** Whether the text enricher may run on a file's records: it maps a text and not all it fills. */
function mayAnalyseText(mapping: Mapping): boolean {
	const mapped = (f: string) => f in mapping.fields || mapping.constants?.[f] !== undefined;
	return mapping.entity === 'interaction' && mapped('text') && !ENRICHED_FIELDS.every(mapped);
}

/** Whether a file opens with a UTF-8 byte-order mark. */
function opensWithBom(file: string): boolean {
	const fd = openSync(file, 'r');
	try {
		const buf = Buffer.alloc(3);
		return readSync(fd, buf, 0, 3, 0) === 3 && buf.equals(Buffer.from([0xef, 0xbb, 0xbf]));
	} finally {
		closeSync(fd);
	}
}

/** Wall and CPU seconds of each step (the bench prints them; TOUCHMAP_INGEST_TRACE=1 to stderr too). */
export type StepTimes = Record<string, { seconds: number; cpuSeconds: number }>;
const TRACE = process.env.TOUCHMAP_INGEST_TRACE === '1';
function stepper(): { step(name: string): void; times: StepTimes } {
	const times: StepTimes = {};
	let last = performance.now();
	let lastCpu = process.cpuUsage();
	return {
		times,
		step(name) {
			const now = performance.now();
			const cpu = process.cpuUsage(lastCpu);
			const t = { seconds: (now - last) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
			times[name] = t;
			if (TRACE)
				process.stderr.write(
					`fast-ingest: ${name} ${t.seconds.toFixed(2)} s, cpu ${t.cpuSeconds.toFixed(2)} s, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB\n`
				);
			last = now;
			lastCpu = process.cpuUsage();
		}
	};
}
let step: (name: string) => void = () => undefined;

async function count(db: Db, query: string, query_params?: Record<string, string>): Promise<number> {
	const rs = await db.client.query({ query, query_params, format: 'JSONEachRow' });
	return Number((await rs.json<{ n: number | string }>())[0]?.n ?? 0);
}

async function rowsOf<T>(db: Db, query: string, query_params?: Record<string, string>): Promise<T[]> {
	const rs = await db.client.query({ query, query_params, format: 'JSONEachRow' });
	return rs.json<T>();
}

export async function ingestFileFast(
	db: Db,
	file: string,
	mapping: Mapping,
	runId: string
): Promise<FastCounts | { fallback: string }> {
	if (db.kind !== 'embedded') return { fallback: 'a ClickHouse server cannot read a local file' };
	const fixedBlockRows = insertBlockRows();
	const delimiter = mapping.delimiter ?? ',';
	const header = mapping.format === 'csv' ? csvHeader(file, delimiter) : undefined;
	const timer = stepper();
	step = timer.step;
	// Only a file with a line holding a non-ASCII space needs JS's trim by character (sql-mapping.ts,
	// Trim); finding the first such line reads the rest of the file only when there is none.
	// 0.23 s (0.44 CPU-s) for the bench's 1M tickets, 0.08 s for its 1M calls (measured).
	const scan = await db.client.query({
		query: `SELECT 1 FROM file(${sqlString(resolve(file))}, 'LineAsString') WHERE ${spacesIn('line', mapping.format)} LIMIT 1`,
		format: 'JSONEachRow',
		clickhouse_settings: { storage_file_read_method: 'pread' }
	});
	const spaces = (await scan.json()).length > 0;
	const compiled = compileSqlMapping(mapping, {
		format: mapping.format,
		header,
		delimiter,
		spaces,
		bom: mapping.format === 'ndjson' && opensWithBom(file)
	});
	if (!compiled.ok) return { fallback: compiled.why };
	const { client } = db;
	const tables = runTables(runId);
	const { stage } = tables;
	const settings = {
		output_format_json_escape_forward_slashes: 0,
		// Parts of ~64k rows instead of ClickHouse squashing a million parsed rows (with every
		// intermediate column) into one block: this is what keeps peak memory under 1 GB.
		min_insert_block_size_rows: '65536',
		min_insert_block_size_bytes: String(32 << 20),
		// Read, not mmap: mapped file pages count as the process's memory.
		storage_file_read_method: 'pread',
		input_format_parallel_parsing: 0,
		// The file is read on one thread and mapped, validated and written on two: the stage step
		// took 2.0 s instead of 2.4 for 1M tickets at the same CPU (measured). Blocks of 8k lines, not
		// 16k, keep its peak where one thread had it (0.71-0.72 GB resident against 0.74-0.75;
		// 16k lines on two threads: 0.81-0.85).
		max_insert_threads: '2',
		max_block_size: '8192'
	} as const;
	try {
		const parsed = `SELECT ${compiled.columns.join(', ')} FROM (
					SELECT ${compiled.select} FROM (
						SELECT ${compiled.inner} FROM file(${sqlString(resolve(file))}, 'LineAsString') WHERE ${compiled.where}))`;
		// MergeTree, not Memory: the stage is compressed on disk, so a file of millions of records
		// never sits uncompressed in RAM (chdb's memory is the process's memory). Interactions are
		// keyed by month, the partition of `interactions`, so the final inserts can each read a
		// range of months through the index. Merges are stopped: the stage is read a few times,
		// then dropped. Its parts stay Compact (one file, not one per column): the same 1M tickets
		// staged as Wide parts peaked higher (stage step 1.06-1.09 GB resident against 0.79-0.83).
		const order = mapping.entity === 'interaction' ? 'toYYYYMM(ts)' : 'tuple()';
		await client.command({
			query: `CREATE TABLE ${stage} ENGINE = MergeTree ORDER BY ${order}
				SETTINGS allow_nullable_key = 1, min_bytes_for_wide_part = 1073741824 EMPTY AS ${parsed}`
		});
		await client.command({ query: `SYSTEM STOP MERGES ${stage}` });
		const staging = client.command({ query: `INSERT INTO ${stage} ${parsed}`, clickhouse_settings: settings });
		// The text models load (~0.1 s) and the Chinese segmenter reads its dictionary (~0.15 s) on
		// first use: for a file that may need them, now, on the JS thread the stage leaves idle, not
		// before the first insert, when nothing else runs (1M tickets: 0.16-0.44 s sooner in three
		// pairs, the same peak memory).
		if (mayAnalyseText(mapping)) {
			await setImmediate(); // the stage's query is under way first
			try {
				warmTextModels();
			} catch {
				// A model that cannot load fails the first analysis, after the stage, with its error.
			}
		}
		await staging;
		await purge(db);
		step('stage (parse, map, validate)');
		if (mapping.format === 'csv' && (await count(db, `SELECT count() AS n FROM ${stage} WHERE multiline`)) > 0)
			return { fallback: 'a quoted CSV field spans lines' };
		await client.command({
			query: `INSERT INTO quarantine (run_id, source, file, line, raw, reason)
				SELECT {run:String}, {source:String}, {file:String}, ln, raw, reason FROM ${stage}
				WHERE reason NOT IN ('', {unparsed:String})`,
			query_params: { run: runId, source: mapping.name, file, unparsed: UNPARSED }
		});
		if (mapping.format === 'ndjson') await quarantineUnparsed(db, stage, runId, mapping.name, file);
		const [tally] = await rowsOf<{ rejected: string; valid: string }>(
			db,
			`SELECT countIf(reason != '') AS rejected, countIf(reason = '') AS valid FROM ${stage}`
		);
		const [rejected, valid] = [Number(tally!.rejected), Number(tally!.valid)];
		step('quarantine and counts');
		let inserted: number;
		if (mapping.entity === 'interaction') {
			inserted = await loadInteractions(db, mapping, runId, tables, valid, compiled.columns, fixedBlockRows);
		} else inserted = await loadOther(db, mapping, runId, stage);
		if (mapping.entity !== 'interaction') step('insert (dedup)');
		return { accepted: inserted, rejected, duplicates: valid - inserted, steps: timer.times };
	} finally {
		for (const t of Object.values(tables))
			await client.command({ query: `DROP TABLE IF EXISTS ${t} SYNC` }).catch(() => undefined);
	}
}

/**
 * Quarantines the NDJSON lines ClickHouse could not parse with JSON.parse's message, as the JS path
 * does: it says where the line breaks. Read 10k at a time, so a file of broken lines is never held whole.
 */
async function quarantineUnparsed(db: Db, stage: string, runId: string, source: string, file: string): Promise<void> {
	for (let after = 0; ;) {
		const lines = await rowsOf<{ ln: string; raw: string }>(
			db,
			`SELECT ln, raw FROM ${stage} WHERE reason = {unparsed:String} AND ln > {after:UInt64} ORDER BY ln LIMIT 10000`,
			{ unparsed: UNPARSED, after: String(after) }
		);
		if (!lines.length) return;
		const values = lines.map(({ ln, raw }) => {
			const parsed = parseNdjsonLine(raw);
			// Read by JS, the line may parse (a number beyond Float64 is Infinity there): ours stands.
			const reason = 'error' in parsed ? parsed.error : UNPARSED;
			return { run_id: runId, source, file, line: Number(ln), raw, reason };
		});
		await db.client.insert({ table: 'quarantine', values, format: 'JSONEachRow' });
		after = Number(lines.at(-1)!.ln);
	}
}

/** The tables of one run: the stage and the lookups its inserts read, all dropped when it ends. */
function runTables(runId: string) {
	const stage = `_fast_${runId.replace(/[^A-Za-z0-9]/g, '')}`;
	return {
		stage,
		/** Identity answers by identifier key (ID_KEY). */
		idk: `${stage}_id`,
		/** Text-analysis and journey-rule answers by input key (enrichKey). */
		enr: `${stage}_en`,
		/** The distinct enrichment inputs, each with the first month it occurs in. */
		inputs: `${stage}_in`,
		/** The first line of each id repeated within the file. */
		first: `${stage}_first`,
		/** Stored keys within the file's key range. */
		stored: `${stage}_stored`
	};
}

/** Identity key of a stage row (only rows without a customer id are resolved). */
const ID_KEY = "cityHash64(s.channel, s.attributes['email'], s.attributes['phone'], s.attributes['handle'])";
/** The attributes of a stage row that the journey rules read. */
const ruleAttributes = (ruleKeys: string[]) =>
	`mapFilter((k, v) -> has([${ruleKeys.map(sqlString).join(', ')}]::Array(String), k), s.attributes)`;
/** Text/rule inputs of a stage row: what the text enricher and the journey rules read. */
const enrichKey = (ruleKeys: string[]) =>
	`cityHash64(s.channel, s.text, s.language, isNull(s.sentiment), s.intent, s.scenario, s.stage, s.touchpoint,
		mapKeys(${ruleAttributes(ruleKeys)}), mapValues(${ruleAttributes(ruleKeys)}))`;
const NEEDS_ENRICH = `((s.text != '' AND (s.language = '' OR isNull(s.sentiment) OR s.intent = '' OR s.scenario = ''))
	OR s.stage = '' OR s.touchpoint = '')`;

/** One distinct combination of what the text models and journey rules read (`m`: its first month). */
interface EnrichInput {
	k: string;
	m: number;
	channel: string;
	text: string;
	language: string;
	no_sentiment: number;
	intent: string;
	scenario: string;
	stage: string;
	touchpoint: string;
	attributes: Record<string, string>;
}

/** The text enricher and the journey rules on one input, as the JS path runs them on a record. */
function enrichInput(x: EnrichInput, source: string, models: Models, rules: ReturnType<typeof compileRules>) {
	const r = {
		source,
		source_id: '',
		customer_id: '',
		ts: '',
		channel: x.channel,
		text: x.text,
		language: x.language,
		sentiment: Number(x.no_sentiment) ? null : 0,
		intent: x.intent,
		scenario: x.scenario,
		stage: x.stage,
		touchpoint: x.touchpoint,
		attributes: { ...x.attributes }
	} as unknown as Interaction;
	enrichRecord(r, models);
	applyRules([r], rules, source);
	return {
		k: x.k,
		language: r.language,
		sentiment: Number(x.no_sentiment) ? r.sentiment : null,
		intent: r.intent,
		scenario: r.scenario,
		stage: r.stage,
		touchpoint: r.touchpoint,
		text_enriched: r.attributes.text_enriched ?? ''
	};
}

async function loadInteractions(
	db: Db,
	mapping: Mapping,
	runId: string,
	tables: ReturnType<typeof runTables>,
	valid: number,
	columns: string[],
	fixedBlockRows: number | undefined
): Promise<number> {
	const { client } = db;
	const { stage, idk, enr, inputs: inputTable, first: firstLines, stored: storedKeys } = tables;
	let identified = 0;
	// Identity: each distinct (channel, email, phone, handle) of records without a customer.
	await client.command({
		query: `CREATE TABLE ${idk} (k UInt64, customer_id String, profile String, matched_on String, rule String) ENGINE = Memory`
	});
	const ids = await rowsOf<{ k: string; channel: string; email: string; phone: string; handle: string }>(
		db,
		`SELECT toString(${ID_KEY}) AS k, any(s.channel) AS channel, any(s.attributes['email']) AS email,
			any(s.attributes['phone']) AS phone, any(s.attributes['handle']) AS handle
		FROM ${stage} AS s WHERE s.reason = '' AND s.customer_id = ''
			AND (s.attributes['email'] != '' OR s.attributes['phone'] != '' OR s.attributes['handle'] != '')
		GROUP BY k`
	);
	if (ids.length) {
		const todo = ids.map((x) => ({
			x,
			ids: interactionIdentifiers({
				channel: x.channel as Interaction['channel'],
				attributes: Object.fromEntries(
					(['email', 'phone', 'handle'] as const).filter((f) => x[f] !== '').map((f) => [f, x[f]])
				)
			})
		}));
		const known = await lookupIdentifiers(
			db,
			todo.flatMap((t) => t.ids.map((i) => i.id))
		);
		const out: { k: string; customer_id: string; profile: string; matched_on: string; rule: string }[] = [];
		for (const { x, ids: list } of todo) {
			const hit = list.find((i) => known.has(i.id));
			if (hit) out.push({ k: x.k, customer_id: known.get(hit.id)!, profile: '', matched_on: hit.id, rule: hit.rule });
			else if (SOCIAL.has(x.channel)) {
				const handle = list.find((i) => i.rule === 'handle');
				if (handle)
					out.push({ k: x.k, customer_id: '', profile: `anon:${handle.id}`, matched_on: handle.id, rule: 'anonymous' });
			}
		}
		identified = out.length;
		if (out.length) await client.insert({ table: idk, values: out, format: 'JSONEachRow' });
		await client.command({
			query: `INSERT INTO identity_merges (source, source_id, customer_id, matched_on, rule)
				SELECT s.source, s.source_id, i.customer_id, i.matched_on, i.rule
				FROM ${stage} AS s INNER JOIN ${idk} AS i ON ${ID_KEY} = i.k
				WHERE s.reason = '' AND s.customer_id = ''`
		});
	}

	step('identity');
	// Duplicates cost only when there are some: a file whose ids are all distinct skips the
	// first-of-each-id filter (a million-key GROUP BY read beside the stage: ~2 CPU-s per 1M rows,
	// measured), and a file whose key range holds no stored key skips the stored-key filter (the
	// range is one primary-key look-up on interaction_keys). Each filter, when needed, is computed
	// once into a Set table that every month-range insert below reads.
	const keyFilter = `SELECT concat(source, ':', source_id) FROM ${stage} WHERE reason = ''`;
	// Distinct hashes of the ids first: as many as valid rows means every id is distinct (a hash
	// collision can only lower the count), and costs a third of counting the ids themselves (1M
	// calls: 0.05-0.09 s against 0.15-0.30); the ids are counted only when the hashes repeat. Every
	// row's source is the mapping's name, so the key range is that name and the ids' range.
	const range = (
		await rowsOf<{ hashes: string; source: string; first: string; last: string }>(
			db,
			`SELECT uniqExact(cityHash64(source_id)) AS hashes, any(source) AS source, min(source_id) AS first,
				max(source_id) AS last FROM ${stage} WHERE reason = ''`
		)
	)[0]!;
	const [first, last] = [`${range.source}:${range.first}`, `${range.source}:${range.last}`];
	const distinct =
		Number(range.hashes) === valid
			? valid
			: await count(db, `SELECT uniqExact(source_id) AS n FROM ${stage} WHERE reason = ''`);
	if (distinct < valid)
		await client.command({
			query: `CREATE TABLE ${firstLines} ENGINE = Set AS SELECT min(ln) FROM ${stage} WHERE reason = '' GROUP BY source_id`
		});
	const storedInRange =
		distinct > 0 &&
		(await count(
			db,
			`SELECT count() AS n FROM interaction_keys WHERE interaction_id BETWEEN {first:String} AND {last:String}`,
			{ first, last }
		)) > 0;
	if (storedInRange)
		await client.command({
			query: `CREATE TABLE ${storedKeys} ENGINE = Set AS
				SELECT DISTINCT interaction_id FROM interaction_keys WHERE interaction_id IN (${keyFilter})`
		});
	const before = storedInRange
		? await count(
				db,
				`SELECT uniqExact(interaction_id) AS n FROM interaction_keys WHERE interaction_id IN ${storedKeys}`
			)
		: 0;
	step('duplicate filters');

	// Text analysis and journey rules: each distinct combination of what they read, once, in JS.
	const rules = await loadJourneyRules({ db });
	const ruleKeys = [...new Set(rules.rules.flatMap((r) => Object.keys(r.when.attributes ?? {})))];
	const compiledRules = compileRules(rules);
	await client.command({
		query: `CREATE TABLE ${enr} (k UInt64, language String, sentiment Nullable(Float64), intent String, scenario String,
			stage String, touchpoint String, text_enriched String) ENGINE = Memory`
	});
	const key = enrichKey(ruleKeys);
	// Each input with the first month it occurs in: it is analysed before that month's insert. Kept
	// in ClickHouse (on disk) and read a range of months at a time, so JS holds one range's inputs,
	// not the file's: 300k inputs of real text held at once took 221 MB of JS heap (measured), so a
	// file of a million different texts would have held ~0.75 GB; a range holds a block's worth.
	await client.command({
		query: `CREATE TABLE ${inputTable} ENGINE = MergeTree ORDER BY m SETTINGS allow_nullable_key = 1 AS
			SELECT toString(${key}) AS k, min(toYYYYMM(s.ts)) AS m, any(s.channel) AS channel, any(s.text) AS text,
				any(s.language) AS language, any(isNull(s.sentiment)) AS no_sentiment, any(s.intent) AS intent,
				any(s.scenario) AS scenario, any(s.stage) AS stage, any(s.touchpoint) AS touchpoint,
				any(${ruleAttributes(ruleKeys)}) AS attributes
			FROM ${stage} AS s WHERE s.reason = '' AND ${NEEDS_ENRICH} GROUP BY k`
	});
	const inputsOf = (r: { from: number; to: number } | undefined) =>
		r
			? rowsOf<EnrichInput>(db, `SELECT * FROM ${inputTable} WHERE m BETWEEN {from:UInt32} AND {to:UInt32}`, {
					from: String(r.from),
					to: String(r.to)
				})
			: Promise.resolve([]);
	// Records and enrichment inputs (each counted in the month it first occurs in) per month.
	const months = await rowsOf<{ m: number; n: string; inputs: string }>(
		db,
		`SELECT toYYYYMM(ts) AS m, count() AS n, any(i.inputs) AS inputs FROM ${stage}
			LEFT JOIN (SELECT m, count() AS inputs FROM ${inputTable} GROUP BY m) AS i ON toYYYYMM(ts) = i.m
			WHERE reason = '' GROUP BY m ORDER BY m`
	);
	const enriched = months.some((x) => Number(x.inputs) > 0);
	await purge(db);
	step('enrichment inputs (distinct)');

	// The range of months one insert reads from the stage.
	const inRange = 'toYYYYMM(ts) BETWEEN {from:UInt32} AND {to:UInt32}';
	// The stage's columns but the raw line (the largest, kept only for quarantine) and the flags.
	const stageColumns = columns.filter((c) => !['raw', 'reason', 'multiline'].includes(c)).join(', ');
	// A lookup with no rows is not joined: its keys (hashes over each row's text, attributes and
	// identifiers) would be computed for every record to match nothing — a file whose records all
	// carry a customer id and need no text analysis (call logs) has neither.
	const pick = (c: string) => (enriched ? `if(e.k != 0 AND s.${c} != e.${c}, e.${c}, s.${c})` : `s.${c}`);
	const added = [
		...(identified ? ["if(i.profile != '', map('profile', i.profile), map())"] : []),
		...(enriched ? ["if(e.text_enriched != '', map('text_enriched', e.text_enriched), map())"] : [])
	];
	const attributes = added.length ? `mapConcat(s.attributes, ${added.join(', ')})` : 's.attributes';
	// Each output column from the stage, with the enrichers' answers where a lookup row matched.
	const resolved = `SELECT
			concat(s.source, ':', s.source_id) AS interaction_id, s.source AS source, s.source_id AS source_id,
			${identified ? 'if(i.k != 0, i.customer_id, s.customer_id)' : 's.customer_id'} AS customer_id, s.ts AS ts,
			s.channel AS channel, ${pick('stage')} AS stage, ${pick('touchpoint')} AS touchpoint,
			${pick('scenario')} AS scenario, ${pick('intent')} AS intent, s.is_complaint AS is_complaint,
			s.outcome AS outcome, s.fcr AS fcr, s.wait_s AS wait_s, s.handle_s AS handle_s,
			s.first_response_s AS first_response_s, s.csat AS csat, s.csat_scale_min AS csat_scale_min,
			s.csat_scale_max AS csat_scale_max, s.nps AS nps,
			${enriched ? 'if(e.k != 0 AND isNull(s.sentiment), e.sentiment, s.sentiment)' : 's.sentiment'} AS sentiment,
			${pick('language')} AS language, s.text AS text, s.agent AS agent, s.team AS team, s.region AS region,
			s.product AS product, s.segment AS segment,
			${attributes} AS attributes
		FROM (SELECT ${stageColumns} FROM ${stage}
			WHERE reason = '' AND ${inRange}) AS s
		${identified ? `LEFT JOIN ${idk} AS i ON ${ID_KEY} = i.k AND s.customer_id = ''` : ''}
		${enriched ? `LEFT JOIN ${enr} AS e ON ${key} = e.k` : ''}
			${distinct < valid ? `WHERE s.ln IN ${firstLines}` : ''}`;
	const finalSelect = `SELECT r.interaction_id, r.source, r.source_id, r.customer_id, r.ts, r.channel, r.stage, r.touchpoint,
				r.scenario, r.intent, r.is_complaint, r.outcome, r.fcr, r.wait_s, r.handle_s, r.first_response_s, r.csat,
				r.csat_scale_min, r.csat_scale_max,
				if(isNull(r.csat), NULL, if(r.csat_scale_max = r.csat_scale_min, 0, (r.csat - r.csat_scale_min) / (r.csat_scale_max - r.csat_scale_min) * 10)),
				r.nps, r.sentiment, r.language, r.text, r.agent, r.team,
				if(r.region = '', c.c_region, r.region), r.product, if(r.segment = '', c.c_segment, r.segment),
				if(r.customer_id = '', '', c.c_tier), r.attributes, {run:String}
			FROM (${resolved}) AS r
			LEFT JOIN (
				SELECT customer_id, ${CUSTOMER_FIELDS}
				FROM customers WHERE customer_id IN (
					SELECT customer_id FROM ${stage} WHERE ${inRange}
					UNION ALL SELECT customer_id FROM ${idk})
				GROUP BY customer_id) AS c ON r.customer_id = c.customer_id
			${storedInRange ? `WHERE r.interaction_id NOT IN ${storedKeys}` : ''}`;
	const blockRows = fixedBlockRows ?? (await blockRowsFor(db, stage, enriched));
	if (TRACE) process.stderr.write(`fast-ingest: insert blocks of ${blockRows} records\n`);
	// One insert per range of whole months holding a block of records (blockRowsFor), in month
	// order. Each block then falls in a few monthly partitions of `interactions` (blocks spread
	// over all 24 months made 24 parts each: 2.3x the insert's CPU, measured), and a range is read
	// from the stage's parts as they are, through its month index. One insert reading the whole
	// stage in month order instead merged its 16 parts, a 65k-row block from each at once: 1.6 GB
	// resident for 1M tickets against 0.6-0.7 GB, at the same CPU (measured).
	//
	// The text models run in JS on one core while ClickHouse inserts on its own threads: the inputs
	// first seen in range r+1 are analysed while range r is inserted, and written to the lookup
	// table before range r+1's insert reads it (the lookup is read whole when an insert starts).
	const ranges = monthRanges(months, blockRows);
	const models = enriched ? loadModels() : undefined;
	let inserting: Promise<unknown> = Promise.resolve();
	try {
		// Every input's month is one of `months`, so some range reads it. A range's inputs are read
		// before the previous range's insert starts (the engine runs one query at a time).
		let next = enriched ? await inputsOf(ranges[0]) : [];
		for (const [i, { from, to }] of ranges.entries()) {
			const inputs = next;
			const answers = [];
			for (const x of inputs) {
				// Back to the event loop now and then, so the insert just started is sent at once.
				if (answers.length % 256 === 0) await setImmediate();
				answers.push(enrichInput(x, mapping.name, models!, compiledRules));
			}
			if (TRACE) process.stderr.write(`fast-ingest: range ${from}-${to}: ${answers.length} inputs analysed\n`);
			await inserting;
			if (answers.length) await client.insert({ table: enr, values: answers, format: 'JSONEachRow' });
			next = enriched ? await inputsOf(ranges[i + 1]) : [];
			inserting = client.command({
				query: `INSERT INTO interactions (${INTERACTION_COLUMNS.join(', ')}) ${finalSelect}`,
				query_params: { run: runId, from, to },
				// A range is one block: the 13 roll-up views see few, large blocks. They run in
				// parallel, on both cores instead of one.
				clickhouse_settings: {
					min_insert_block_size_rows: String(blockRows),
					min_insert_block_size_bytes: String(128 << 20),
					parallel_view_processing: 1
				}
			});
			// Handled at the next await; without this, a failing insert while JS runs would be an
			// unhandled rejection (which ends the process) instead of this ingest's error.
			inserting.catch(() => undefined);
		}
		await inserting;
	} finally {
		// An error in the JS step leaves no insert running behind the stage's DROP.
		await inserting.catch(() => undefined);
	}
	step('text + journey rules (JS) beside the inserts (dedup, joins, 13 roll-up views)');
	return distinct - before;
}

/**
 * Returns the memory ClickHouse has freed to the system. Its allocator keeps freed pages for reuse,
 * and in-process (chdb) they stay part of this process: after the stage and the distinct inputs,
 * ~0.2-0.4 GB (a 2M-row Memory table dropped: 747 MB resident → 305 MB after the purge). 300k
 * tickets of real text peaked at 1,308 MB without it, 1,114-1,290 MB with it in four runs (the
 * spread is when V8 collects); with the 20k-input ranges (monthRanges) as well, 945-1,026 MB.
 * Only above 0.7 GB resident: below, an insert range (≤ ~0.3 GB) fits in the 1 GB the bench keeps,
 * and pages given back are faulted in again by the inserts that follow. That cost is not
 * measurable here: against stop 20's code the calls' inserts took +0.14/+0.39 CPU-s with the purge
 * (two pairs) and -0.13 to +0.32 without it (four pairs) — this machine's noise.
 */
async function purge(db: Db): Promise<void> {
	if (process.memoryUsage().rss < PURGE_ABOVE) return;
	// A ClickHouse built without jemalloc refuses the command: memory is then as it was.
	await db.client.command({ query: 'SYSTEM JEMALLOC PURGE' }).catch(() => undefined);
}

/** Records per insert block when set (TOUCHMAP_INGEST_BLOCK_ROWS); by default sized from the stage. */
function insertBlockRows(): number | undefined {
	return z.coerce
		.number()
		.int()
		.min(1)
		.optional()
		.parse(process.env.TOUCHMAP_INGEST_BLOCK_ROWS || undefined, {
			error: () => 'TOUCHMAP_INGEST_BLOCK_ROWS: expected a whole number ≥ 1'
		});
}

/**
 * Consecutive months grouped into ranges of at least `rows` records (the last may hold fewer),
 * `maxMonths` months or `maxInputs` enrichment inputs, whichever comes first. Each month is a
 * partition of `interactions` (and of `journey_steps`), and an insert holds a part writer — buffers
 * for every column — for each partition it touches: ~20 MB a month, measured. 100k tickets of real
 * text spread over 24 months went in as one range peaking at 1,145-1,289 MB; in ranges of at most
 * 6 months at 797-859 MB (3 months: 720-747 MB, but the 250k-record blocks of the calls bench span
 * 6). JS holds a range's inputs and their answers while the previous range is inserted: 300k
 * tickets of real text (nearly every one a distinct input) peaked at 1,114-1,290 MB in ranges of
 * ~70k inputs, 968-1,009 MB in ranges of at most 20k (measured; the bench's have 4-7k a range).
 */
export function monthRanges(
	months: { m: number; n: number | string; inputs?: number | string }[],
	rows: number,
	maxMonths = MAX_RANGE_MONTHS,
	maxInputs = MAX_RANGE_INPUTS
): { from: number; to: number }[] {
	const out: { from: number; to: number }[] = [];
	let open: { from: number; to: number; n: number; inputs: number; span: number } | undefined;
	for (const { m, n, inputs } of months) {
		open ??= { from: m, to: m, n: 0, inputs: 0, span: 0 };
		open.to = m;
		open.n += Number(n);
		open.inputs += Number(inputs ?? 0);
		open.span++;
		if (open.n >= rows || open.span >= maxMonths || open.inputs >= maxInputs) {
			out.push({ from: open.from, to: open.to });
			open = undefined;
		}
	}
	if (open) out.push({ from: open.from, to: open.to });
	return out;
}

/**
 * Insert blocks of ~75 MB of staged data, 16k to 250k records, or ~128 MB when the text models are
 * not loaded: peak memory follows the block's bytes, on top of the models' ~180 MB (weights and
 * the segmenter's dictionary) when a file has text to analyse. 1M tickets (608 staged bytes a
 * record, models loaded) peaked at 0.86-0.91 GB resident in blocks of 125k, 0.92-0.95 in 160k and
 * 1.0 in 250k; 1M calls (537 bytes, no text) at 0.66-0.67 GB in 146k and 0.71-0.73 in 250k, where
 * 250k cost 0.4-1.0 CPU-s less per 1M (measured; 400k: 0.87 GB, no less CPU). This sizing gives
 * the tickets 123k-record blocks and the calls 250k.
 */
async function blockRowsFor(db: Db, stage: string, models: boolean): Promise<number> {
	const [size] = await rowsOf<{ bytes: string; rows: string }>(
		db,
		`SELECT sum(data_uncompressed_bytes) AS bytes, sum(rows) AS rows FROM system.parts
		WHERE database = currentDatabase() AND table = {stage:String} AND active`,
		{ stage }
	);
	const perRecord = Number(size?.bytes ?? 0) / Math.max(1, Number(size?.rows ?? 0));
	const rows = perRecord > 0 ? Math.round(((models ? 75 : 128) << 20) / perRecord) : MAX_BLOCK_ROWS;
	return Math.min(MAX_BLOCK_ROWS, Math.max(16_384, rows));
}
const MAX_BLOCK_ROWS = 250_000;
const MAX_RANGE_MONTHS = 6;
const MAX_RANGE_INPUTS = 20_000;
const PURGE_ABOVE = 700 * 1024 * 1024;

async function loadOther(db: Db, mapping: Mapping, runId: string, stage: string): Promise<number> {
	const { client } = db;
	const customer = mapping.entity === 'customer';
	const spec = ENTITIES[mapping.entity];
	const cols = spec.columns.filter((c) => c !== 'ingest_run_id');
	// The loader's own stage shape (the table's types), holding the first of each identical row —
	// within a file only identical rows are duplicates, as in the loader's batches.
	const typed = `${stage}_t`;
	await client.command({
		query: `CREATE TABLE ${typed} ENGINE = MergeTree ORDER BY tuple() AS SELECT ${spec.columns.join(', ')} FROM ${spec.table} LIMIT 0`
	});
	try {
		await client.command({
			query: `INSERT INTO ${typed} (${spec.columns.join(', ')})
				SELECT ${cols.join(', ')}, {run:String} FROM ${stage} WHERE reason = ''
					AND ln IN (SELECT min(ln) FROM ${stage} WHERE reason = '' GROUP BY cityHash64(toString(tuple(${cols.join(', ')}))))`,
			query_params: { run: runId }
		});
		// Then exactly the loader's duplicate check and insert.
		const existing = (outer: string) =>
			`${outer} IN (SELECT ${spec.dedupKey} FROM ${spec.table} WHERE ${spec.key} IN (SELECT ${spec.key} FROM ${typed}))`;
		const total = await count(db, `SELECT count() AS n FROM ${typed}`);
		const already = await count(db, `SELECT count() AS n FROM ${typed} WHERE ${existing(spec.dedupKey)}`);
		await client.command({
			query: `INSERT INTO ${spec.table} (${spec.columns.join(', ')})
				SELECT ${spec.columns.join(', ')} FROM ${typed} WHERE NOT (${existing(spec.dedupKey)})`
		});
		if (customer) {
			// CRM customers register their identifiers, in file order, as the JS path does.
			const rows = await rowsOf<Customer>(
				db,
				`SELECT customer_id, source, email, phone, attributes FROM ${stage} WHERE reason = '' ORDER BY ln`
			);
			for (let i = 0; i < rows.length; i += 50_000) await linkCustomers(db, rows.slice(i, i + 50_000));
		}
		return total - already;
	} finally {
		await client.command({ query: `DROP TABLE IF EXISTS ${typed} SYNC` });
	}
}
