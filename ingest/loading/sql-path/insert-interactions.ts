/**
 * Why this exists: the SQL path's last step for interactions, the loader's insert done in
 * ClickHouse — each valid stage row with the enrichers' answers joined in, its segment, region and
 * tier from its customer, minus duplicates — one range of months at a time, while JS analyses the
 * next range's texts. Idempotency and the roll-ups are exactly as with the JS path.
 */
import { setImmediate } from 'node:timers/promises';
import { loadModels } from '../../enrichment/text/analyze';
import { NO_TEXT_REASON_ID } from '../../../schemas/reasons';
import { CUSTOMER_FIELDS, INTERACTION_COLUMNS } from '../loader';
import type { SqlPathRun } from './context';
import type { DuplicateFilters } from './duplicates';
import { enrichInput, inputAsRecord, type EnrichmentInputs } from './enrichment-inputs';
import { prefetchTextAnalyses } from '../../enrichment/text-enricher';
import { ID_KEY } from './identity';
import { blockRowsFor, monthRanges } from './ranges';

/** Inputs analysed on the text worker pool at a time. */
const ANALYSIS_SLICE = 2048;

export interface InsertPlan {
	/** Stage columns (as compiled). */
	columns: string[];
	/** Valid rows of the stage. */
	valid: number;
	/** Identity keys answered (0: no identity join). */
	identified: number;
	duplicates: DuplicateFilters;
	inputs: EnrichmentInputs;
	/** Records per insert block, when fixed (TOUCHMAP_INGEST_BLOCK_ROWS). */
	blockRows: number | undefined;
}

/** Inserts the stage's valid interactions; returns how many were new. */
export async function insertInteractions(run: SqlPathRun, plan: InsertPlan): Promise<number> {
	const { db, mapping, runId, trace } = run;
	const { stage, idk, enr, first: firstLines, stored: storedKeys } = run.tables;
	const { identified, valid, inputs } = plan;
	const { distinct, storedInRange, before } = plan.duplicates;
	const { enriched, key } = inputs;
	// The range of months one insert reads from the stage.
	const inRange = 'toYYYYMM(ts) BETWEEN {from:UInt32} AND {to:UInt32}';
	// The stage's columns but the raw line (the largest, kept only for quarantine) and the flags.
	const stageColumns = plan.columns.filter((c) => !['raw', 'reason', 'multiline'].includes(c)).join(', ');
	// A lookup with no rows is not joined: its keys (hashes over each row's text, attributes and
	// identifiers) would be computed for every record to match nothing — a file whose records all
	// carry a customer id and need no text analysis (call logs) has neither.
	const pick = (c: string) => (enriched ? `if(e.k != 0 AND s.${c} != e.${c}, e.${c}, s.${c})` : `s.${c}`);
	const added = [
		...(identified ? ["if(i.profile != '', map('profile', i.profile), map())"] : []),
		...(enriched ? ["if(e.text_enriched != '', map('text_enriched', e.text_enriched), map())"] : []),
		// The contact reason (enrichment/reasons/enricher.ts); a record without text has "no text".
		...(inputs.reasons
			? [
					enriched
						? `if(e.reason_id != '', map('reason_id', e.reason_id), if(s.text = '', map('reason_id', '${NO_TEXT_REASON_ID}'), map()))`
						: `if(s.text = '', map('reason_id', '${NO_TEXT_REASON_ID}'), map())`
				]
			: [])
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
	const blockRows = plan.blockRows ?? (await blockRowsFor(db, stage, enriched));
	if (trace) process.stderr.write(`sql path: insert blocks of ${blockRows} records\n`);
	// One insert per range of whole months holding a block of records (blockRowsFor), in month
	// order. Each block then falls in a few monthly partitions of `interactions` (a block spread
	// over every month writes a part to each), and a range is read from the stage's parts as they
	// are, through its month index (one insert reading the whole stage in month order would merge
	// all its parts at once).
	//
	// The text models run in JS on one core while ClickHouse inserts on its own threads: the inputs
	// first seen in range r+1 are analysed while range r is inserted, and written to the lookup
	// table before range r+1's insert reads it (the lookup is read whole when an insert starts).
	const ranges = monthRanges(inputs.months, blockRows);
	const models = enriched ? loadModels() : undefined;
	let inserting: Promise<unknown> = Promise.resolve();
	try {
		// Every input's month is one of `months`, so some range reads it. A range's inputs are read
		// before the previous range's insert starts (the engine runs one query at a time).
		let next = enriched ? await inputs.inputsOf(ranges[0]) : [];
		for (const [i, { from, to }] of ranges.entries()) {
			const todo = next;
			// The texts of the range are analysed on the text worker pool (every core) first.
			const answers = [];
			// In slices: a range's analyses all alive at once outlive the young generation, and V8
			// lets the old one grow to several times its live data before collecting them.
			for (let at = 0; at < todo.length; at += ANALYSIS_SLICE) {
				const slice = todo.slice(at, at + ANALYSIS_SLICE);
				await prefetchTextAnalyses(slice.map((x) => inputAsRecord(x)));
				for (const x of slice) {
					// Back to the event loop now and then, so the insert just started is sent at once.
					if (answers.length % 256 === 0) await setImmediate();
					answers.push(enrichInput(x, mapping.name, models!, inputs.rules, inputs.reasons, inputs.intents));
				}
			}
			if (trace) process.stderr.write(`sql path: range ${from}-${to}: ${answers.length} inputs analysed\n`);
			await inserting;
			if (answers.length) await db.client.insert({ table: enr, values: answers, format: 'JSONEachRow' });
			next = enriched ? await inputs.inputsOf(ranges[i + 1]) : [];
			inserting = db.client.command({
				query: `INSERT INTO interactions (${INTERACTION_COLUMNS.join(', ')}) ${finalSelect}`,
				query_params: { run: runId, from, to },
				// A range is one block: the roll-up views see few, large blocks. They run in
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
	run.timer.step('text + journey rules (JS) beside the inserts (dedup, joins, 13 roll-up views)');
	return distinct - before;
}
