/**
 * Why this exists: a mistake in a mapping — a canonical field that does not exist, a column the
 * file does not have, a rule whose result cannot fill its field — used to load every row and
 * leave the field empty (or quarantine every record), and nothing said why. These checks refuse
 * such a mapping before a row is loaded, naming the field and the nearest valid name.
 */
import { ENTITY_SCHEMAS } from '../../schemas/entities';
import { LINE_FIELD, type Mapping } from '../../schemas/mapping';
import { CANONICAL, CANONICAL_TYPES } from './canonical';
import { checkValue } from './map-record';
import { fitsType, planRule, RuleError, sourcePaths, type RulePlan } from './rule-plan';

/** A mapping that cannot work; the message lists every problem, one a line. */
export class MappingError extends Error {}

/** Edit distance of two names, case-insensitive. */
function distance(a: string, b: string): number {
	const x = a.toLowerCase();
	const y = b.toLowerCase();
	let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
	for (let i = 1; i <= x.length; i++) {
		const row = [i];
		for (let j = 1; j <= y.length; j++)
			row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
		prev = row;
	}
	return prev[y.length]!;
}

/**
 * The candidate nearest to `name`: by edit distance, except that a name containing the other
 * (`tweet_text` and `text`) is nearer than any edit — an export's columns often carry a prefix.
 * None when even the nearest is a different word (more than a third of the name's letters off):
 * "did you mean id?" for "at" would send the user the wrong way.
 */
export function nearest(name: string, candidates: readonly string[]): string | undefined {
	let best: string | undefined;
	let score = Infinity;
	for (const c of candidates) {
		const [a, b] = [name.toLowerCase(), c.toLowerCase()];
		const inside = Math.min(a.length, b.length) >= 3 && (a.includes(b) || b.includes(a));
		const d = inside ? 0.5 : distance(a, b);
		if (d < score) [best, score] = [c, d];
	}
	return score <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

const didYouMean = (name: string, candidates: readonly string[]) => {
	const n = nearest(name, candidates);
	return n ? ` — did you mean "${n}"?` : '';
};

/** The plans of a mapping's fields (a problem for each that cannot be planned). */
function plans(mapping: Mapping, problems: string[]): Map<string, RulePlan> {
	const types = CANONICAL_TYPES[mapping.entity];
	const names = Object.keys(types).filter((f) => f !== 'source');
	const out = new Map<string, RulePlan>();
	for (const [field, rule] of Object.entries(mapping.fields)) {
		const attribute = field.startsWith('attributes.');
		if (field === 'source') {
			problems.push("fields.source: source is always the mapping's name");
			continue;
		}
		if (field === 'attributes' || field === 'attributes.') {
			problems.push(`fields.${field}: name the attribute, e.g. "attributes.queue"`);
			continue;
		}
		if (!attribute && !(field in types)) {
			problems.push(
				`fields.${field}: unknown field "${field}" for ${mapping.entity} records${didYouMean(field, names)}`
			);
			continue;
		}
		try {
			const plan = planRule(field, rule, attribute ? undefined : types[field]);
			const want = types[field];
			if (want && !fitsType(plan.result, want))
				problems.push(
					`fields.${field}: this rule gives ${plan.result} values, but ${field} is a ${want} field${plan.result === plan.read ? ` (leave out type: ${plan.read})` : ''}`
				);
			for (const problem of literalProblems(plan)) problems.push(`fields.${problem}`);
			if (!attribute) problems.push(...optionProblems(mapping, field, plan));
			out.set(field, plan);
		} catch (err) {
			if (!(err instanceof RuleError)) throw err;
			problems.push(`fields.${err.message}`);
		}
	}
	return out;
}

/** The allowed values of a canonical field that takes one of a fixed set (channel, outcome, …). */
function optionsOf(entity: Mapping['entity'], field: string): readonly string[] | undefined {
	const check = CANONICAL[entity].fields.find((f) => f.name === field)?.checks.find((c) => c.rule === 'option');
	return check?.rule === 'option' ? check.options.filter((o) => o !== '') : undefined;
}

/**
 * A lookup or default that names a value the field cannot hold ("Fax" → "other" for a channel)
 * would send every such row to quarantine; refuse the mapping instead, listing the choices.
 */
function optionProblems(mapping: Mapping, field: string, plan: RulePlan): string[] {
	const options = optionsOf(mapping.entity, field);
	if (!options) return [];
	const bad = (v: unknown) => typeof v === 'string' && v !== '' && !options.includes(v);
	const wrong = [
		...Object.entries(plan.map ?? {})
			.filter(([, v]) => bad(v))
			.map(([k, v]) => `map gives "${String(v)}" for "${k}"`),
		...(bad(plan.default) ? [`default is "${String(plan.default)}"`] : [])
	];
	return wrong.map((w) => `fields.${field}: ${w}, but ${field} takes one of ${options.join(', ')}`);
}

/** Fixed values in a rule (a date, a compared time, a branch) that its type cannot read. */
function literalProblems(plan: RulePlan): string[] {
	const out: string[] = [];
	const s = plan.source;
	const check = (value: string | number | boolean | null, type: typeof plan.read) => {
		const why = value === null ? undefined : checkValue(value, type, plan);
		if (why) out.push(why);
	};
	if (s.kind === 'date') check(s.value, plan.read);
	if (s.kind === 'if') {
		out.push(...literalProblems(s.cond));
		for (const b of [s.then, s.else]) {
			if ('rule' in b) out.push(...literalProblems(b.rule));
			else check(b.value, plan.read);
		}
	}
	if (plan.test && 'value' in plan.test.operand) check(plan.test.operand.value, plan.test.type);
	return out;
}

/** Problems of a mapping on its own: unknown fields and constants, rules that cannot work. */
export function mappingProblems(mapping: Mapping): string[] {
	const problems: string[] = [];
	plans(mapping, problems);
	const schema = ENTITY_SCHEMAS[mapping.entity];
	const names = Object.keys(schema.shape).filter((f) => f !== 'source' && f !== 'attributes');
	for (const [field, value] of Object.entries(mapping.constants ?? {})) {
		if (!names.includes(field)) {
			problems.push(
				`constants.${field}: unknown field "${field}" for ${mapping.entity} records${didYouMean(field, names)}`
			);
			continue;
		}
		const r = (schema.shape as Record<string, import('zod').ZodType>)[field]!.safeParse(value);
		if (!r.success) problems.push(`constants.${field}: ${r.error.issues[0]!.message} (got ${JSON.stringify(value)})`);
	}
	return problems;
}

/** Throws a MappingError listing every problem of a mapping on its own. */
export function checkMapping(mapping: Mapping, label = `"${mapping.name}"`): void {
	const problems = mappingProblems(mapping);
	if (problems.length) throw new MappingError(`Mapping ${label} is invalid:\n  ${problems.join('\n  ')}`);
}

/** What a file offers to a mapping: its CSV header, the keys of its first JSON records, or `line`. */
export interface FileColumns {
	/** The file's name as the user knows it. */
	file: string;
	format: Mapping['format'];
	columns: string[];
	/** NDJSON: how many records the keys were read from. */
	sampled?: number;
}

/** Problems of a mapping against a file: source fields the file does not have. */
export function columnProblems(mapping: Mapping, file: FileColumns): string[] {
	const problems: string[] = [];
	const have = new Set(file.columns);
	const shown = file.columns.length > 8 ? `${file.columns.slice(0, 8).join(', ')}, …` : file.columns.join(', ');
	for (const [field, plan] of plans(mapping, [])) {
		for (const path of new Set(sourcePaths(plan))) {
			// A nested JSON path is found through its first key.
			const key = file.format === 'ndjson' && !have.has(path) ? path.split('.')[0]! : path;
			if (have.has(key)) continue;
			const near = nearest(key, file.columns);
			const hint = near ? `; nearest: "${near}"` : '';
			problems.push(
				file.format === 'csv'
					? `fields.${field}: column "${path}" is not in ${file.file} (columns: ${shown}${hint})`
					: file.format === 'lines'
						? `fields.${field}: "${path}" is not a field of a lines file: each record is "line" (its text) and ${LINE_FIELD} (its number)`
						: `fields.${field}: "${key}" is in none of the first ${file.sampled} records of ${file.file} (fields: ${shown}${hint})`
			);
		}
	}
	return problems;
}

/**
 * Throws a MappingError when a mapping is refused for a file: its own problems, then a column a
 * CSV header or a lines file lacks. A JSON field missing from the first records is only a warning
 * (returned): an API leaves out optional fields it has no value for.
 */
export function checkMappingFor(mapping: Mapping, file: FileColumns): string[] {
	const missing = columnProblems(mapping, file);
	const problems = [...mappingProblems(mapping), ...(file.format === 'ndjson' ? [] : missing)];
	if (problems.length)
		throw new MappingError(`Mapping "${mapping.name}" cannot load ${file.file}:\n  ${problems.join('\n  ')}`);
	return file.format === 'ndjson' ? missing : [];
}
