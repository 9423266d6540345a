/**
 * Why this exists: where each `from` path of a mapping is found in a line of the file. An NDJSON
 * line is parsed once into a tuple of exactly the paths the mapping reads; a CSV line is split once
 * into its fields, read by header position. Both happen in the inner SELECT over the file, so every
 * expression of the outer SELECT reads the parsed line instead of parsing it again.
 */
import { LINE_FIELD } from '../../../schemas/mapping';
import type { FileFormat } from '../../sources/readers';
import { fail, sqlString } from './literal';

export interface SourceSpec {
	format: FileFormat;
	/** CSV: the header's names, trimmed, in order. */
	header?: string[];
	delimiter?: string;
	/** Some line holds a non-ASCII space (`spacesIn`): trim as JS does, by character (trim.ts). */
	spaces?: boolean;
	/** NDJSON, lines: the file opens with a UTF-8 byte-order mark (the first line is read without it). */
	bom?: boolean;
}

/** Raw source values by path: JSON paths parsed once per line into a tuple; CSV by header position. */
export class Sources {
	private readonly tree = new Map<string, unknown>();
	constructor(private readonly spec: SourceSpec) {}

	/** A Nullable(String) expression for one `from` path. */
	value(path: string): string {
		// A column, not a constant (see below).
		const none = "materialize(CAST(NULL, 'Nullable(String)'))";
		if (path === LINE_FIELD) return 'toNullable(toString(_rn + 1))';
		if (this.spec.format === 'lines') return path === 'line' ? 'toNullable(_l)' : none;
		if (this.spec.format === 'csv') {
			const i = this.spec.header!.indexOf(path);
			// A column the file lacks: NULL for every row, as a column — as a constant, ClickHouse
			// folds the expressions built on it and then cannot find their aliases (a CSV without
			// the mapped time column failed the whole file instead of quarantining its rows).
			return i === -1 ? none : `_f[${i + 1}]`;
		}
		const parts = path.split('.');
		if (parts.some((p) => p.includes('`') || p === '')) fail(`field path "${path}" cannot be compiled`);
		const at = parts.findIndex((p) => /^\d+$/.test(p));
		// An array index: the array is taken as raw JSON text and indexed by a second, small parse.
		const head = at === -1 ? parts : parts.slice(0, at);
		if (head.length === 0) fail(`field path "${path}" starts with an index`);
		let node = this.tree;
		for (let i = 0; i < head.length; i++) {
			const leaf = i === head.length - 1;
			const cur = node.get(head[i]!);
			if (leaf) {
				if (cur instanceof Map) fail(`field path "${path}" is both a value and an object`);
				node.set(head[i]!, true);
			} else {
				if (cur === true) fail(`field path "${path}" is both a value and an object`);
				if (!cur) node.set(head[i]!, new Map());
				node = node.get(head[i]!) as Map<string, unknown>;
			}
		}
		const el = head.reduce((acc, p) => `tupleElement(${acc}, ${sqlString(p)})`, '_j');
		if (at === -1) return el;
		const rest = parts.slice(at).map((p) => (/^\d+$/.test(p) ? String(Number(p) + 1) : sqlString(p)));
		return `JSONExtract(ifNull(${el}, ''), ${rest.join(', ')}, 'Nullable(String)')`;
	}

	/**
	 * TRUE where some extracted value is not NULL — proof the line parsed: JSONExtract parses the
	 * whole line first and gives every value NULL when it does not parse. FALSE with no paths.
	 */
	someValue(): string {
		const leaves = (node: Map<string, unknown>, at: string): string[] =>
			[...node].flatMap(([k, v]) => {
				const el = `tupleElement(${at}, ${sqlString(k)})`;
				return v === true ? [el] : leaves(v as Map<string, unknown>, el);
			});
		const all = leaves(this.tree, '_j');
		return all.length ? `(${all.map((e) => `isNotNull(${e})`).join(' OR ')})` : '0';
	}

	private tupleType(node: Map<string, unknown>): string {
		return `Tuple(${[...node].map(([k, v]) => `\`${k}\` ${v === true ? 'Nullable(String)' : this.tupleType(v as Map<string, unknown>)}`).join(', ')})`;
	}

	/** The outer SELECT's first columns: the parsed JSON object (the CSV fields come from `inner`). */
	prelude(): string[] {
		if (this.spec.format !== 'ndjson') return [];
		const type = this.tree.size ? this.tupleType(this.tree) : 'Tuple(`_` Nullable(String))';
		return [`JSONExtract(_l, ${sqlString(type)}) AS _j`];
	}

	/**
	 * The inner SELECT over the file: line number, the line without its CR and, for CSV, its split
	 * fields — computed once there, where an alias in the outer SELECT is expanded at every use
	 * (the split is large enough that a many-field mapping passed ClickHouse's query-tree limit).
	 */
	inner(): string[] {
		const line = "if(endsWith(line, '\\r'), substring(line, 1, length(line) - 1), line) AS _l";
		// NDJSON, lines: a byte-order mark opening the file is not part of the first record (readers.ts).
		// Looked for only when the file has one: the test copies every line.
		if (this.spec.format !== 'csv')
			return [
				'_row_number AS _rn',
				this.spec.bom
					? "if(_row_number = 0 AND startsWith(line, '\\xEF\\xBB\\xBF'), substring(line, 4), line) AS _b"
					: 'line AS _b',
				"if(endsWith(_b, '\\r'), substring(_b, 1, length(_b) - 1), _b) AS _l"
			];
		const d = this.spec.delimiter ?? ',';
		const dq = d.replace(/[\\^$.|?*+()[\]{}]/g, (c) => `\\${c}`);
		// Unquoted lines (nearly all) split on the delimiter. A well-formed quoted line (every quote
		// opens or closes a whole field) has the delimiters inside its quotes masked by \x01 — the
		// text between quotes is every other piece of a split on '"' — then splits the same way,
		// far cheaper than the regex that keeps "a,b" whole. Any other quoted line takes that regex.
		// Either way each quoted field is then unquoted ("" → ").
		const field = `(?:[^"${dq}]*|"(?:[^"]|"")*")`;
		const unquote = `if(startsWith(x, '"'), replaceAll(substring(x, 2, length(x) - 2), '""', '"'), x)`;
		// A field such as "x"y (text after the closing quote) is x then y, as the JS reader reads it.
		const quoted = sqlString('^"((?:[^"]|"")*)"');
		const unquoteLoose = `if(startsWith(x, '"'), concat(replaceAll(extract(x, ${quoted}), '""', '"'), replaceRegexpOne(x, ${quoted}, '')), x)`;
		const mask = sqlString('\u0001');
		const masked = `arrayStringConcat(arrayMap((p, i) -> if(i % 2 = 0, replaceAll(p, ${sqlString(d)}, ${mask}), p),
				splitByChar('"', _l), arrayEnumerate(splitByChar('"', _l))), '"')`;
		const fields = `multiIf(position(_l, '"') = 0, splitByChar(${sqlString(d)}, _l),
			position(_l, ${mask}) = 0 AND match(_l, ${sqlString(`^${field}(?:${dq}${field})*$`)}),
				arrayMap(x -> replaceAll(${unquote}, ${mask}, ${sqlString(d)}), splitByChar(${sqlString(d)}, ${masked})),
			arrayMap(x -> ${unquoteLoose}, extractAll(concat(${sqlString(d)}, _l), ${sqlString(`${dq}("(?:[^"]|"")*"[^${dq}]*|[^${dq}]*)`)})))`;
		return ['_row_number AS _rn', line, `${fields} AS _f`];
	}
}
