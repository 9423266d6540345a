/**
 * Why this exists: every refused record is kept in `quarantine` with its raw payload and reason —
 * once. A file loaded again, a page re-read after a crash or a webhook retried would otherwise
 * store the same bad line again each time. A line is the same when its source, file (or page),
 * line number and raw payload are; when its reason changed (the mapping did), the stored reason is
 * replaced. And a run says what it refused most, so the fix is visible without opening the table.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../db/client';
import { mutationTarget } from '../../db/cluster';

/** A refused record as the `quarantine` table keeps it, beside its raw payload and the reason. */
export interface QuarantineRow {
	run_id: string;
	source: string;
	file: string;
	line: number;
	raw: string;
	reason: string;
}

/** How a raw payload is compared with a stored one (the SQL side is `hex(MD5(raw))`). */
const digest = (raw: string) => createHash('md5').update(raw, 'utf8').digest('hex').toUpperCase();
export const SQL_DIGEST = (raw: string) => `hex(MD5(${raw}))`;

/** Stores refused records not already quarantined; replaces the reason of those whose reason changed. */
export async function storeQuarantine(db: Db, rows: QuarantineRow[]): Promise<void> {
	const groups = new Map<string, QuarantineRow[]>();
	for (const r of rows) {
		const k = `${r.source}\n${r.file}`;
		groups.set(k, [...(groups.get(k) ?? []), r]);
	}
	for (const group of groups.values()) {
		const { source, file } = group[0]!;
		const stored = await (
			await db.client.query({
				query: `SELECT line, ${SQL_DIGEST('raw')} AS h, reason FROM quarantine
					WHERE source = {source:String} AND file = {file:String} AND line IN {lines:Array(UInt64)}`,
				query_params: { source, file, lines: [...new Set(group.map((r) => r.line))] },
				format: 'JSONEachRow'
			})
		).json<{ line: string | number; h: string; reason: string }>();
		const have = new Map(stored.map((s) => [`${s.line}\n${s.h}`, s.reason]));
		const fresh: QuarantineRow[] = [];
		const changed: [number, string][] = [];
		for (const r of group) {
			const key = `${r.line}\n${digest(r.raw)}`;
			const reason = have.get(key);
			if (reason === r.reason) continue;
			if (reason !== undefined) changed.push([r.line, digest(r.raw)]);
			have.set(key, r.reason);
			fresh.push(r);
		}
		if (changed.length)
			await db.client.command({
				query: `DELETE FROM ${mutationTarget(db, 'quarantine')} WHERE source = {source:String} AND file = {file:String}
					AND has(arrayZip({lines:Array(UInt64)}, {hashes:Array(String)}), (line, ${SQL_DIGEST('raw')}))`,
				// Two arrays zipped: the client cannot send an array of tuples as a parameter.
				query_params: { source, file, lines: changed.map((c) => c[0]), hashes: changed.map((c) => c[1]) }
			});
		if (fresh.length) await db.client.insert({ table: 'quarantine', values: fresh, format: 'JSONEachRow' });
	}
}

/** A reason with the values it quotes left out: the refusals of one mistake share it. */
export const reasonShape = (reason: string) => reason.replace(/"[^"]*"/g, '"…"');
export const SQL_REASON_SHAPE = (reason: string) => `replaceRegexpAll(${reason}, '"[^"]*"', '"…"')`;

/** One kind of refusal in a run: the reason's shape, how many, and the most frequent reason itself. */
export interface ReasonCount {
	reason: string;
	count: number;
	example: string;
}

/** How many of a run's refusals to name. */
export const TOP_REASONS = 5;

/** Counts a run's refusals by the shape of their reason. */
export class ReasonTally {
	private readonly shapes = new Map<string, { count: number; examples: Map<string, number> }>();

	add(reason: string, count = 1, example = reason): void {
		const shape = reasonShape(reason);
		const s = this.shapes.get(shape) ?? { count: 0, examples: new Map<string, number>() };
		s.count += count;
		s.examples.set(example, (s.examples.get(example) ?? 0) + count);
		this.shapes.set(shape, s);
	}

	/** The most frequent kinds, most frequent first; ties in byte order, as ClickHouse sorts them. */
	top(n = TOP_REASONS): ReasonCount[] {
		const first = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
		return [...this.shapes]
			.map(([reason, s]) => ({
				reason,
				count: s.count,
				example: [...s.examples].sort((a, b) => b[1] - a[1] || first(a[0], b[0]))[0]![0]
			}))
			.sort((a, b) => b.count - a.count || first(a.reason, b.reason))
			.slice(0, n);
	}
}

/** A kind of refusal as the run summary prints it. */
export function describeReason(r: ReasonCount): string {
	return r.example === r.reason ? `${r.count} × ${r.reason}` : `${r.count} × ${r.reason} (e.g. ${r.example})`;
}
