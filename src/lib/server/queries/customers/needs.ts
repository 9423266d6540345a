/**
 * Why this exists: `customers.needs` — the top needs per scenario (transaction, after-sales,
 * complaint, inquiry), for the high-value segment and for every contact, with volume, share of the
 * scenario, a monthly series and the trend (latest 3 months against the 3 before). A need is the
 * contact's intent where its text has one, else its contact reason: most tickets and posts match no
 * fixed intent, and without reasons their needs would be empty. Reasons are resolved through the
 * dictionary as the query runs (merged ids count for the reason they were merged into, hidden ones
 * drop out, a contact without a scenario takes its reason's stage's), like the journey map.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { canonicalId, type DictionaryEntry } from '$ingest';
import { sqlTemplate } from '$db/sql-template';
import { SCENARIOS, STAGES, type Scenario, type Stage } from '$schemas/entities';
import { NeedsSchema, type CustomerRules, type NeedRow, type Needs } from '$schemas/customers';
import { STAGE_SCENARIO } from '$schemas/reasons';
import { cached } from '../../kept';
import { reasonDictionary } from '../reasons/dictionary';
import { currentPortrait, readParts } from './portrait-store';
import { getAsOf, HIGH_VALUE_SQL, minusMonths, readRules, ruleParams } from './rules';
import segmentSql from './needs-segment.sql?raw';
import allSql from './needs-all.sql?raw';

export const NEEDS_SEGMENT_SQL = sqlTemplate(segmentSql, { hv: HIGH_VALUE_SQL });
/** The needs' queries by kept part (portrait.ts stores their answers). */
export const NEEDS_PARTS = { needsSegment: NEEDS_SEGMENT_SQL, needsAll: allSql };

export interface NeedCountRow {
	bucket: string;
	scenario: string;
	intent: string;
	reason_id: string;
	interactions: number | string;
}

/** What a stored reason id counts as: the reason it answers for, with that reason's name and stage. */
export interface ReasonNeed {
	id: string;
	name: string;
	stage: Stage | '';
}

/** Stored reason id → the discovered reason it counts for; hidden reasons and the buckets are absent. */
export function reasonNeeds(dictionary: DictionaryEntry[]): Map<string, ReasonNeed> {
	const byId = new Map(dictionary.map((d) => [d.id, d]));
	const out = new Map<string, ReasonNeed>();
	for (const d of dictionary) {
		const target = byId.get(canonicalId(byId, d.id)) ?? d;
		if (target.hidden || target.kind !== 'reason') continue;
		const stage = (STAGES as readonly string[]).includes(target.stage) ? (target.stage as Stage) : '';
		out.set(d.id, { id: target.id, name: target.name, stage });
	}
	return out;
}

/** Monthly buckets from..to (first days), oldest first. */
export function monthList(asOf: string, months: number): string[] {
	const last = asOf.slice(0, 8) + '01';
	return Array.from({ length: months }, (_, i) => minusMonths(last, months - 1 - i));
}

interface Need {
	scenario: Scenario;
	intent: string;
	reason: string | null;
	s: number[];
}

/** The need a row counts for: its intent, else its reason; null when it has neither or no scenario. */
function needOf(r: NeedCountRow, reasons: Map<string, ReasonNeed>): Omit<Need, 's'> | null {
	const own = (SCENARIOS as readonly string[]).includes(r.scenario) ? (r.scenario as Scenario) : null;
	if (r.intent) return own && { scenario: own, intent: r.intent, reason: null };
	const reason = reasons.get(r.reason_id);
	if (!reason) return null;
	const scenario = own ?? (reason.stage ? STAGE_SCENARIO[reason.stage] : null);
	return scenario && { scenario, intent: reason.name, reason: reason.id };
}

/** Ranks needs per scenario and shapes series; pure, so it is unit-tested without a database. */
export function shapeNeeds(
	rows: NeedCountRow[],
	months: string[],
	group: NeedRow['group'],
	top: number,
	reasons: Map<string, ReasonNeed> = new Map()
): NeedRow[] {
	const idx = new Map(months.map((m, i) => [m, i]));
	const needs = new Map<string, Need>();
	for (const r of rows) {
		const i = idx.get(r.bucket);
		const need = i === undefined ? null : needOf(r, reasons);
		if (!need) continue;
		const key = `${need.scenario}|${need.reason === null ? `i:${need.intent}` : `r:${need.reason}`}`;
		let n = needs.get(key);
		if (!n) needs.set(key, (n = { ...need, s: new Array<number>(months.length).fill(0) }));
		n.s[i!]! += Number(r.interactions);
	}
	const out: NeedRow[] = [];
	for (const scenario of SCENARIOS) {
		const ranked = [...needs.values()]
			.filter((n) => n.scenario === scenario)
			.map((n) => ({ ...n, total: n.s.reduce((a, b) => a + b, 0) }));
		const scenarioTotal = ranked.reduce((a, n) => a + n.total, 0);
		ranked.sort((a, b) => b.total - a.total || a.intent.localeCompare(b.intent));
		for (const n of ranked.slice(0, top)) {
			const k = n.s.length;
			const recent = n.s.slice(Math.max(0, k - 3)).reduce((a, b) => a + b, 0);
			const before = n.s.slice(Math.max(0, k - 6), Math.max(0, k - 3)).reduce((a, b) => a + b, 0);
			out.push({
				scenario,
				group,
				intent: n.intent,
				reason: n.reason,
				interactions: n.total,
				share: scenarioTotal ? n.total / scenarioTotal : 0,
				trend: before > 0 ? recent / before - 1 : null,
				monthly: n.s
			});
		}
	}
	return out;
}

/** Kept per (data version, rules, input, reasons as resolved), so a reason edit is seen at once. */
export async function getNeeds(
	client: ClickHouseClient,
	input: { months: number; top: number },
	rules?: CustomerRules
): Promise<Needs> {
	const r = rules ?? (await readRules(client));
	const reasons = reasonNeeds(await reasonDictionary(client));
	return cached(client, ['needs', r, input, [...reasons]], () => computeNeeds(client, input, r, reasons));
}

async function computeNeeds(
	client: ClickHouseClient,
	input: { months: number; top: number },
	r: CustomerRules,
	reasons: Map<string, ReasonNeed>
): Promise<Needs> {
	const portrait = await currentPortrait(client, r);
	const asOf = portrait ? portrait.asOf : await getAsOf(client);
	if (!asOf) return { months: [], rows: [] };
	const months = monthList(asOf, input.months);
	const params = { ...ruleParams(r, asOf), period_from: months[0]! };
	const parts = await readParts(client, portrait, NEEDS_PARTS, params);
	const seg = parts.needsSegment as NeedCountRow[];
	const all = parts.needsAll as NeedCountRow[];
	return NeedsSchema.parse({
		months,
		rows: [
			...shapeNeeds(seg, months, 'high_value', input.top, reasons),
			...shapeNeeds(all, months, 'all', input.top, reasons)
		]
	});
}
