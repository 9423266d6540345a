/**
 * Why this exists: a field rule of a mapping (schemas/mapping.ts) says where a value comes from,
 * how it is read and what is computed from it; both ingest paths must agree on every step and on
 * the type each step yields. This module reads a rule once into a plan — the steps in order, each
 * with its types — that the JS mapper (map-record.ts) runs and the SQL compiler (sql/convert.ts)
 * compiles, and that check-mapping.ts validates before a row is loaded.
 *
 * The steps, in order:
 *   read     `from` (first non-empty, or all joined), a fixed `date`, or `if` → `then` / `else`
 *   look up  `map`, then `default` when empty or unmapped
 *   convert  to `read` (the field's type unless `type` or a computation says otherwise), with
 *            `multiply`, `format`, `timezone`
 *   compute  `plus` / `minus` a span of time, or `minus` another field (a difference in `unit`);
 *            then `is` (a comparison → yes/no); then `prefix` / `suffix` (text)
 */
import {
	LINE_FIELD,
	type Comparison,
	type DurationUnit,
	type FieldRule,
	type FieldRuleObject,
	type Operand
} from '../../schemas/mapping';
import type { FieldType } from './semantics';

/** Seconds in each unit a difference of two times may be given in. */
export const UNIT_SECONDS = { seconds: 1, minutes: 60, hours: 3600, days: 86_400, weeks: 604_800 } as const;

/**
 * How a span is applied, by unit: calendar months and days on the wall clock of the rule's zone,
 * then elapsed seconds — as Luxon's `plus` does it (map-record.ts) and the SQL compiles it.
 */
export const SHIFT_UNITS: Record<DurationUnit, readonly ['months' | 'days' | 'seconds', number]> = {
	years: ['months', 12],
	months: ['months', 1],
	weeks: ['days', 7],
	days: ['days', 1],
	hours: ['seconds', 3600],
	minutes: ['seconds', 60],
	seconds: ['seconds', 1]
};

/** A span of time from `plus` / `minus`, signed, by unit: a whole number or a source field. */
export interface Shift {
	unit: DurationUnit;
	sign: 1 | -1;
	by: number | string;
}

export type Branch = { value: string | number | boolean | null } | { rule: RulePlan };

export interface RulePlan {
	/** The mapping's field name (a canonical field or attributes.NAME): what reasons name. */
	field: string;
	/** Where the value comes from. */
	source:
		| { kind: 'from'; paths: string[]; join?: string }
		| { kind: 'date'; value: string }
		| { kind: 'if'; cond: RulePlan; then: Branch; else: Branch };
	map?: Record<string, string | number | boolean | null>;
	default?: string | number | boolean | null;
	/** The type the looked-up value is converted to. */
	read: FieldType;
	multiply?: number;
	format?: string;
	timezone?: string;
	shifts: Shift[];
	/** `minus` a source field: the difference (read as `read`), in seconds per unit (1 for numbers). */
	difference?: { path: string; per: number };
	/** `is`: the comparison and what it compares with. */
	test?: { op: Comparison; operand: { value: string | number | boolean } | { path: string }; type: FieldType };
	prefix?: string;
	suffix?: string;
	/** The type the rule yields. */
	result: FieldType;
	/** The rule computes something (an attribute then keeps the computed value, as text). */
	computed: boolean;
}

/** Why a rule cannot work, naming the field (check-mapping.ts collects these). */
export class RuleError extends Error {}

const TIME: ReadonlySet<FieldType> = new Set(['datetime', 'date']);
const NUMERIC: ReadonlySet<FieldType> = new Set(['number', 'integer']);

function operandType(o: Operand): FieldType | undefined {
	if (typeof o === 'number') return 'number';
	if (typeof o === 'boolean') return 'boolean';
	if (typeof o === 'string') return 'string';
	return undefined;
}

/**
 * The plan of `rule` for `field`. `target` is the canonical field's type (undefined for an
 * attribute, which keeps text). Throws RuleError when the rule cannot work.
 */
export function planRule(field: string, rule: FieldRule, target: FieldType | undefined): RulePlan {
	const r: FieldRuleObject = typeof rule === 'string' ? { from: rule } : rule;
	const fail = (why: string): never => {
		throw new RuleError(`${field}: ${why}`);
	};
	const minusField = typeof r.minus === 'string' ? r.minus : undefined;
	const shifts: Shift[] = [];
	for (const [sign, d] of [
		[1, r.plus],
		[-1, typeof r.minus === 'object' ? r.minus : undefined]
	] as const)
		for (const [unit, by] of Object.entries(d ?? {}) as [DurationUnit, number | string][])
			shifts.push({ unit, sign, by });
	const computed =
		shifts.length > 0 ||
		minusField !== undefined ||
		r.is !== undefined ||
		r.date !== undefined ||
		!!r.prefix ||
		!!r.suffix;

	// The type values are read as: said by `type`, else what the computation needs, else the field's.
	const [op, operand] = (Object.entries(r.is ?? {})[0] ?? []) as [Comparison | undefined, Operand | undefined];
	let read: FieldType;
	const timeOf = (fallback: FieldType): FieldType => (target && TIME.has(target) ? target : fallback);
	if (r.type) read = r.type;
	else if (r.date !== undefined) read = timeOf(/^\d{4}-\d\d-\d\d$/.test(r.date) ? 'date' : 'datetime');
	else if (minusField !== undefined || shifts.length) read = timeOf('datetime');
	else if (r.is !== undefined)
		read =
			operandType(operand!) ??
			fail(`comparing with { field: … } needs a type saying how both are read (number, datetime, date or string)`);
	else read = target ?? 'string';
	// An attribute keeps the source's text unless the rule computes something from it.
	if (target === undefined && !computed && r.if === undefined && r.date === undefined) read = 'string';
	if (r.date !== undefined && !TIME.has(read)) fail(`a fixed date is read as a date or datetime, not ${read}`);
	if (r.multiply !== undefined && !NUMERIC.has(read)) fail(`multiply needs numbers, not ${read} values`);
	if ((r.format !== undefined || r.timezone !== undefined) && !TIME.has(read) && r.if === undefined)
		fail(`format and timezone apply to dates and times, not ${read} values`);

	if (shifts.length) {
		if (!TIME.has(read)) fail(`plus / minus a span of time needs a date or datetime, not ${read} values`);
		if (read === 'date' && shifts.some((s) => ['hours', 'minutes', 'seconds'].includes(s.unit)))
			fail('a date moves by years, months, weeks or days');
	}
	let value: FieldType = read;
	let difference: RulePlan['difference'];
	if (minusField !== undefined) {
		if (shifts.length) fail('minus is either a span of time or a field, not both');
		if (!TIME.has(read) && !NUMERIC.has(read))
			fail(`minus a field subtracts dates, times or numbers, not ${read} values`);
		if (r.unit !== undefined && !TIME.has(read)) fail('unit goes with a difference of two times');
		difference = { path: minusField, per: TIME.has(read) ? UNIT_SECONDS[r.unit ?? 'days'] : 1 };
		value = 'number';
	} else if (r.unit !== undefined) fail('unit goes with minus another field (a difference of two times)');

	let test: RulePlan['test'];
	if (op !== undefined && operand !== undefined) {
		const type = value;
		if (typeof operand === 'object') test = { op, operand: { path: operand.field }, type };
		else {
			const given = operandType(operand)!;
			const fits =
				given === type ||
				(given === 'number' && NUMERIC.has(type)) ||
				(given === 'string' && TIME.has(type)) ||
				(given === 'boolean' && type === 'boolean');
			if (!fits) fail(`is compares ${type} values, so ${JSON.stringify(operand)} cannot be compared with them`);
			test = { op, operand: { value: operand }, type };
		}
		if ((type === 'string' || type === 'boolean') && op !== '=' && op !== '!=')
			fail(`${type === 'string' ? 'texts' : 'yes/no values'} compare with = or != only`);
		value = 'boolean';
	}
	if ((r.prefix || r.suffix) && value !== 'string') fail(`prefix and suffix add text to text, not to ${value} values`);

	let source: RulePlan['source'];
	if (r.if !== undefined) {
		const cond = planRule(field, r.if, 'boolean');
		if (cond.result !== 'boolean') fail('if needs a condition giving yes/no, e.g. { from: score, is: { "<=": 2 } }');
		const branch = (b: FieldRuleObject['then']): Branch =>
			b !== null && typeof b === 'object' ? { rule: planRule(field, b, target) } : { value: b ?? null };
		source = { kind: 'if', cond, then: branch(r.then), else: branch(r.else) };
		if (r.type === undefined) read = target ?? 'string';
		value = read;
	} else if (r.date !== undefined) source = { kind: 'date', value: r.date };
	else source = { kind: 'from', paths: typeof r.from === 'string' ? [r.from] : r.from!, join: r.join };

	const plan: RulePlan = {
		field,
		source,
		map: r.map,
		default: r.default,
		read,
		multiply: r.multiply,
		format: r.format,
		timezone: r.timezone,
		shifts,
		difference,
		test,
		prefix: r.prefix,
		suffix: r.suffix,
		result: value,
		computed
	};
	if (source.kind === 'if')
		for (const b of [source.then, source.else])
			if ('rule' in b && !fitsType(b.rule.result, plan.result))
				fail(`then / else give ${b.rule.result} values where the field takes ${plan.result}`);
	return plan;
}

/** Whether a rule giving `given` values can fill a field of type `wanted`. */
export function fitsType(given: FieldType, wanted: FieldType): boolean {
	return given === wanted || (NUMERIC.has(given) && NUMERIC.has(wanted));
}

/** Every source field a plan reads (for the check against a file's columns). */
export function sourcePaths(plan: RulePlan): string[] {
	const out: string[] = [];
	const s = plan.source;
	if (s.kind === 'from') out.push(...s.paths);
	if (s.kind === 'if') {
		out.push(...sourcePaths(s.cond));
		for (const b of [s.then, s.else]) if ('rule' in b) out.push(...sourcePaths(b.rule));
	}
	for (const sh of plan.shifts) if (typeof sh.by === 'string') out.push(sh.by);
	if (plan.difference) out.push(plan.difference.path);
	if (plan.test && 'path' in plan.test.operand) out.push(plan.test.operand.path);
	return out.filter((p) => p !== LINE_FIELD);
}
