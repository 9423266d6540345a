/**
 * Why this exists: `journey.paths` — how customers move between stages (or touchpoints): a Sankey's
 * nodes and links per step with drop-off, the top paths, and channel switching (share of customers
 * using 1, 2, 3+ channels).
 *
 * Reads `journey_steps` (one narrow row per identified contact, sorted by customer hash, sampled by
 * it). When the range holds more than TARGET_ROWS (400k) contacts, a uniform sample of customers is read
 * and counts are scaled back up (`sampled` says by how much): path shares are stable long before
 * millions of rows, and the query stays interactive at 10M interactions.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { PathsSchema, type JourneyFilter, type Paths, type PathsInput } from '$schemas/journey';
import { sqlTemplate } from '$db/sql-template';
import { RESOLVED_STAGE, RESOLVED_TOUCHPOINT } from '$ingest';
import { reasonParams } from '../reasons/dictionary';
import { journeyParams, RAW_WHERE } from './filter';
import { readSeveritySettings } from './map';
import sql from './paths.sql?raw';

export const TARGET_ROWS = 400_000;

// Stage and touchpoint as the journey map shows them: a reason where the source gave no touchpoint.
const NODE = {
	stage: RESOLVED_STAGE,
	touchpoint: `concat(${RESOLVED_STAGE}, ' / ', ${RESOLVED_TOUCHPOINT})`
} as const;

export function pathsSql(level: keyof typeof NODE, sample: number): string {
	// TRICKY: SAMPLE takes a literal, not a bound parameter; `sample` is computed here, clamped and
	// formatted as a plain decimal, never taken from input.
	const s = sample >= 1 ? '' : `SAMPLE ${Math.max(0.0001, Math.min(1, sample)).toFixed(4)}`;
	return sqlTemplate(sql, { node: NODE[level], stage: RESOLVED_STAGE, sample: s, where: RAW_WHERE });
}

const COUNT_SQL = `SELECT count() AS n FROM journey_steps
WHERE ts >= toDateTime({from:Date}, 'UTC') AND ts < toDateTime({to:Date} + 1, 'UTC')`;

const RowSchema = z.object({ path: z.array(z.string()), channels: z.coerce.number(), customers: z.coerce.number() });

/** Nodes, links, top paths and channel switching from path counts (pure; unit-tested). */
export function shapePaths(rows: z.infer<typeof RowSchema>[], depth: number, top: number, scale: number) {
	const nodes = new Map<string, { id: string; step: number; label: string; customers: number; dropOff: number }>();
	const links = new Map<string, { source: string; target: string; value: number }>();
	const byPath = new Map<string, { path: string[]; customers: number }>();
	const channels = new Map<string, number>();
	let total = 0;
	for (const r of rows) {
		const c = r.customers * scale;
		total += c;
		const ch = r.channels >= 3 ? '3+' : String(r.channels);
		channels.set(ch, (channels.get(ch) ?? 0) + c);
		const key = r.path.join('\u001f');
		const p = byPath.get(key) ?? { path: r.path, customers: 0 };
		p.customers += c;
		byPath.set(key, p);
		r.path.forEach((label, i) => {
			const id = `${i + 1}:${label}`;
			const node = nodes.get(id) ?? { id, step: i + 1, label, customers: 0, dropOff: 0 };
			node.customers += c;
			// Customers whose path ends here before the chosen depth drop off at this node.
			if (i === r.path.length - 1 && i < depth - 1) node.dropOff += c;
			nodes.set(id, node);
			if (i > 0) {
				const source = `${i}:${r.path[i - 1]}`;
				const lk = `${source}\u001e${id}`;
				const link = links.get(lk) ?? { source, target: id, value: 0 };
				link.value += c;
				links.set(lk, link);
			}
		});
	}
	const round = (x: number) => Math.round(x);
	return {
		customers: round(total),
		nodes: [...nodes.values()]
			.map((x) => ({ ...x, customers: round(x.customers), dropOff: round(x.dropOff) }))
			.sort((a, b) => a.step - b.step || b.customers - a.customers),
		links: [...links.values()].map((l) => ({ ...l, value: round(l.value) })).sort((a, b) => b.value - a.value),
		topPaths: [...byPath.values()]
			.sort((a, b) => b.customers - a.customers || a.path.join().localeCompare(b.path.join()))
			.slice(0, top)
			.map((p) => ({ path: p.path, customers: round(p.customers) })),
		channelSwitching: ['1', '2', '3+'].map((k) => ({
			channels: k,
			customers: round(channels.get(k) ?? 0),
			share: total ? (channels.get(k) ?? 0) / total : 0
		}))
	};
}

export async function getPaths(
	client: ClickHouseClient,
	input: JourneyFilter & Required<Pick<PathsInput, 'depth' | 'level' | 'top'>>
): Promise<Paths> {
	const settings = await readSeveritySettings(client);
	const params = { ...journeyParams(input, settings, await reasonParams(client, input.reasons)), depth: input.depth };
	const count = await client.query({ query: COUNT_SQL, query_params: params, format: 'JSONEachRow' });
	const rowsInRange = Number((await count.json<{ n: string | number }>())[0]?.n ?? 0);
	const sample = rowsInRange > TARGET_ROWS ? TARGET_ROWS / rowsInRange : 1;
	const rs = await client.query({ query: pathsSql(input.level, sample), query_params: params, format: 'JSONEachRow' });
	const rows = z.array(RowSchema).parse(await rs.json());
	const effective = sample >= 1 ? 1 : Number(Math.max(0.0001, sample).toFixed(4));
	return PathsSchema.parse({ sampled: effective, ...shapePaths(rows, input.depth, input.top, 1 / effective) });
}
