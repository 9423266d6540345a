/**
 * Why this exists: the customer portraits (segments, needs, signals and the high-value set) are
 * kept per data version and rules in customer_portrait_rows / customer_portrait_hv, so a request
 * reads a few hundred stored rows instead of scanning customer_monthly and interactions. This is
 * the read side: which stored portrait (if any) answers for the data and rules a reader sees, and
 * its rows. portrait.ts builds them.
 */
import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import type { CustomerRules } from '$schemas/customers';
import { dataVersion } from '../../kept';
import { readSetting } from '../settings/settings';
import { readRules } from './rules';

export const PORTRAIT_KEY = 'customers.portrait';
/** Months kept per monthly part: the longest period any portrait input asks for. */
export const PORTRAIT_MONTHS = 36;
/** Month of the parts that have none (one answer for any period). */
export const NO_MONTH = '1970-01-01';
/** The high-value set as stored (bound `portrait_key`); the at-risk list embeds it as its `hv` part. */
export const PORTRAIT_HV_SQL = 'SELECT customer_id FROM customer_portrait_hv WHERE key = {portrait_key:String}';

export const PortraitStateSchema = z
	.object({ key: z.string().default(''), asOf: z.string().nullable().default(null), builtAt: z.string().default('') })
	.default({ key: '', asOf: null, builtAt: '' });
export type PortraitState = z.infer<typeof PortraitStateSchema>;

/** Portrait parts: each is one query's answer, monthly ones with a `bucket` column. */
export type PortraitPart =
	| 'crm'
	| 'contacts'
	| 'mix'
	| 'needsSegment'
	| 'needsAll'
	| 'signalsNow'
	| 'signalsTrend'
	| 'signalsQuiet'
	| 'churnCells'
	| 'customerValue';

/** Changes when the set of parts does, so a portrait stored without a part is rebuilt, never read. */
const PORTRAIT_PARTS_VERSION = 3;

export function portraitKey(version: string, rules: CustomerRules): string {
	return createHash('sha256')
		.update(JSON.stringify([version, rules, PORTRAIT_PARTS_VERSION]))
		.digest('hex')
		.slice(0, 32);
}

// Builds are started by portrait.ts, which imports the portrait queries; a reader that finds the
// portrait stale asks for one through this hook rather than importing the builder (an import cycle).
let requestBuild: ((client: ClickHouseClient) => void) | undefined;
export function onStalePortrait(fn: (client: ClickHouseClient) => void): void {
	requestBuild = fn;
}

/**
 * The stored portrait for the current data under `rules`, or null (then the caller computes the
 * answer from the roll-ups, as it did before portraits were kept, and a rebuild is requested).
 */
export async function currentPortrait(client: ClickHouseClient, rules: CustomerRules): Promise<PortraitState | null> {
	const [state, version] = await Promise.all([
		readSetting(client, PORTRAIT_KEY, PortraitStateSchema),
		dataVersion(client)
	]);
	if (state.key && state.key === portraitKey(version, rules)) return state;
	requestBuild?.(client);
	return null;
}

/** Rows of the given parts, in the order their query answered; monthly rows from `from` on. */
export async function portraitRows(
	client: ClickHouseClient,
	key: string,
	parts: PortraitPart[],
	from: string
): Promise<Record<PortraitPart, unknown[]>> {
	const rs = await client.query({
		query: `SELECT toString(part) AS part, row FROM customer_portrait_rows
WHERE key = {key:String} AND part IN {parts:Array(String)} AND (month = toDate({none:String}) OR month >= {from:Date})
ORDER BY part, seq`,
		query_params: { key, parts, none: NO_MONTH, from },
		format: 'JSONEachRow'
	});
	const out = Object.fromEntries(parts.map((p) => [p, [] as unknown[]])) as Record<PortraitPart, unknown[]>;
	for (const r of await rs.json<{ part: PortraitPart; row: string }>()) out[r.part].push(JSON.parse(r.row));
	return out;
}

/**
 * The answers of `queries` (part → SQL): the stored rows when `portrait` is current, else each query
 * run with `params`. Monthly parts are read from `params.period_from` on, which the SQL applies too.
 */
export async function readParts<P extends PortraitPart>(
	client: ClickHouseClient,
	portrait: PortraitState | null,
	queries: Record<P, string>,
	params: Record<string, unknown> & { period_from: string }
): Promise<Record<P, unknown[]>> {
	const parts = Object.keys(queries) as P[];
	if (portrait) return portraitRows(client, portrait.key, parts, params.period_from);
	const answers = await Promise.all(
		parts.map(async (p) =>
			(await client.query({ query: queries[p], query_params: params, format: 'JSONEachRow' })).json<unknown>()
		)
	);
	return Object.fromEntries(parts.map((p, i) => [p, answers[i]])) as Record<P, unknown[]>;
}

/**
 * The answers of parts that take no input (no rules, no period): the stored rows when the portrait
 * is current, else the queries run now — for answers too costly to compute on every request.
 */
export async function readWholeParts<P extends PortraitPart>(
	client: ClickHouseClient,
	queries: Record<P, string>
): Promise<Record<P, unknown[]>> {
	const portrait = await currentPortrait(client, await readRules(client));
	return readParts(client, portrait, queries, { period_from: NO_MONTH });
}
