/**
 * Why this exists: the text models and the journey rules run in JS, but on a file most records
 * share what they read (the same text, channel and attributes). The SQL path therefore collects
 * each distinct combination of those inputs once, with the first month it occurs in, and the
 * inserts analyse a range of months' inputs while the previous range is written.
 */
import type { Interaction } from '../../../schemas/entities';
import { compileIntents, loadCustomIntents, type CompiledIntents } from '../../enrichment/custom-intents';
import { applyRules, compileRules, loadJourneyRules } from '../../enrichment/journey-rules';
import { assignRecordReason, loadIngestReasonModel, REASON_ATTRIBUTE } from '../../enrichment/reasons/enricher';
import { enrichRecord } from '../../enrichment/text-enricher';
import type { ReasonModel } from '../../../schemas/reasons';
import type { Models } from '../../enrichment/text/analyze';
import { sqlString } from '../../mapping/sql/literal';
import { purge, rowsOf, type SqlPathRun } from './context';

/** The attributes of a stage row that the journey rules read. */
const ruleAttributes = (ruleKeys: string[]) =>
	`mapFilter((k, v) -> has([${ruleKeys.map(sqlString).join(', ')}]::Array(String), k), s.attributes)`;
/** Text/rule inputs of a stage row: what the text enricher and the journey rules read. */
const enrichKey = (ruleKeys: string[]) =>
	`cityHash64(s.channel, s.text, s.language, isNull(s.sentiment), s.intent, s.scenario, s.is_complaint, s.stage, s.touchpoint,
		mapKeys(${ruleAttributes(ruleKeys)}), mapValues(${ruleAttributes(ruleKeys)}))`;
const needsEnrich = (
	reasons: boolean
) => `((s.text != '' AND (${reasons ? '1 OR ' : ''}s.language = '' OR isNull(s.sentiment) OR s.intent = '' OR s.scenario = ''))
	OR s.stage = '' OR s.touchpoint = '')`;

/** One distinct combination of what the text models and journey rules read (`m`: its first month). */
export interface EnrichInput {
	k: string;
	m: number;
	channel: string;
	text: string;
	language: string;
	no_sentiment: number;
	intent: string;
	scenario: string;
	is_complaint: boolean | number;
	stage: string;
	touchpoint: string;
	attributes: Record<string, string>;
}

export type CompiledRules = ReturnType<typeof compileRules>;

/** An input as the record the text enricher and the journey rules read. */
export function inputAsRecord(x: EnrichInput, source = ''): Interaction {
	return {
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
		is_complaint: Boolean(Number(x.is_complaint)),
		stage: x.stage,
		touchpoint: x.touchpoint,
		attributes: { ...x.attributes }
	} as unknown as Interaction;
}

/** The text enricher and the journey rules on one input, as the JS path runs them on a record. */
export function enrichInput(
	x: EnrichInput,
	source: string,
	models: Models,
	rules: CompiledRules,
	reasons: ReasonModel | null = null,
	intents: CompiledIntents = []
) {
	const r = inputAsRecord(x, source);
	enrichRecord(r, models, undefined, intents);
	assignRecordReason(r, reasons);
	applyRules([r], rules, source);
	return {
		k: x.k,
		language: r.language,
		sentiment: Number(x.no_sentiment) ? r.sentiment : null,
		intent: r.intent,
		scenario: r.scenario,
		stage: r.stage,
		touchpoint: r.touchpoint,
		text_enriched: r.attributes.text_enriched ?? '',
		reason_id: r.attributes[REASON_ATTRIBUTE] ?? ''
	};
}

export interface EnrichmentInputs {
	/** Valid records, and inputs first seen, per month of the stage, in month order. */
	months: { m: number; n: string; inputs: string }[];
	/** Some record needs enrichment (else the inserts skip the lookup). */
	enriched: boolean;
	/** SQL of a stage row's input key (alias `s`). */
	key: string;
	rules: CompiledRules;
	/** The deployment's own intents (settings `text.intents`). */
	intents: CompiledIntents;
	/** The deployment's reason model (null before the first discovery). */
	reasons: ReasonModel | null;
	/** The inputs first seen in a range of months. */
	inputsOf(range: { from: number; to: number } | undefined): Promise<EnrichInput[]>;
}

/** Collects the distinct inputs and creates the lookup their answers go to. */
export async function enrichmentInputs(run: SqlPathRun): Promise<EnrichmentInputs> {
	const { db } = run;
	const { stage, enr, inputs: inputTable } = run.tables;
	const journeyRules = await loadJourneyRules({ db });
	const ruleKeys = [...new Set(journeyRules.rules.flatMap((r) => Object.keys(r.when.attributes ?? {})))];
	const reasons = await loadIngestReasonModel(db);
	await db.client.command({
		query: `CREATE TABLE ${enr} (k UInt64, language String, sentiment Nullable(Float64), intent String, scenario String,
			stage String, touchpoint String, text_enriched String, reason_id String) ENGINE = Memory`
	});
	const key = enrichKey(ruleKeys);
	// Each input with the first month it occurs in: it is analysed before that month's insert. Kept
	// in ClickHouse (on disk) and read a range of months at a time, so JS holds one range's inputs,
	// not the file's: a file of a million different texts would otherwise hold them all in its heap.
	await db.client.command({
		query: `CREATE TABLE ${inputTable} ENGINE = MergeTree ORDER BY m SETTINGS allow_nullable_key = 1 AS
			SELECT toString(${key}) AS k, min(toYYYYMM(s.ts)) AS m, any(s.channel) AS channel, any(s.text) AS text,
				any(s.language) AS language, any(isNull(s.sentiment)) AS no_sentiment, any(s.intent) AS intent,
				any(s.scenario) AS scenario, any(s.is_complaint) AS is_complaint, any(s.stage) AS stage, any(s.touchpoint) AS touchpoint,
				any(${ruleAttributes(ruleKeys)}) AS attributes
			FROM ${stage} AS s WHERE s.reason = '' AND ${needsEnrich(reasons !== null)} GROUP BY k`
	});
	// Records and enrichment inputs (each counted in the month it first occurs in) per month.
	const months = await rowsOf<{ m: number; n: string; inputs: string }>(
		db,
		`SELECT toYYYYMM(ts) AS m, count() AS n, any(i.inputs) AS inputs FROM ${stage}
			LEFT JOIN (SELECT m, count() AS inputs FROM ${inputTable} GROUP BY m) AS i ON toYYYYMM(ts) = i.m
			WHERE reason = '' GROUP BY m ORDER BY m`
	);
	await purge(db);
	run.timer.step('enrichment inputs (distinct)');
	return {
		months,
		enriched: months.some((x) => Number(x.inputs) > 0),
		key,
		rules: compileRules(journeyRules),
		intents: compileIntents(await loadCustomIntents({ db })),
		reasons,
		inputsOf: (r) =>
			r
				? rowsOf<EnrichInput>(db, `SELECT * FROM ${inputTable} WHERE m BETWEEN {from:UInt32} AND {to:UInt32}`, {
						from: String(r.from),
						to: String(r.to)
					})
				: Promise.resolve([])
	};
}
