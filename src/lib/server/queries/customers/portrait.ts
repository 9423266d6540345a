/**
 * Why this exists: builds the kept customer portraits (see portrait-store.ts) for the data as it is
 * and the stored rules: the high-value set, then every portrait query's answer over the longest
 * period an input can ask for, month by month, so any shorter period is a filter on stored rows.
 * Runs at start-up (before the first request) and whenever a reader finds the data or the rules
 * changed since the last build; one build at a time per database.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { configuredCluster, mutationTarget } from '$db/cluster';
import type { CustomerRules } from '$schemas/customers';
import { baseClient } from '$db/client';
import { dataVersion } from '../../kept';
import { readSetting, writeSetting } from '../settings/settings';
import { CHURN_PARTS } from '../drivers/drivers';
import { ROI_PARTS } from '../roi/summary';
import { NEEDS_PARTS } from './needs';
import {
	NO_MONTH,
	onStalePortrait,
	PORTRAIT_KEY,
	PORTRAIT_MONTHS,
	portraitKey,
	PortraitStateSchema,
	type PortraitPart,
	type PortraitState
} from './portrait-store';
import { getAsOf, HIGH_VALUE_SQL, readRules } from './rules';
import { segmentParts } from './segments';
import { SIGNAL_PARTS, signalParams } from './signals';

/** Writes the portrait for the current data under the stored rules; null when the data moved meanwhile. */
export async function buildPortrait(client: ClickHouseClient): Promise<PortraitState | null> {
	const [version, rules, asOf] = await Promise.all([dataVersion(client), readRules(client), getAsOf(client)]);
	const key = portraitKey(version, rules);
	const cluster = configuredCluster();
	const drop = (table: string, cond: string) =>
		client.command({
			query: `ALTER TABLE ${mutationTarget(cluster, table)} DELETE WHERE ${cond}`,
			query_params: { key },
			clickhouse_settings: { mutations_sync: '2' }
		});
	// A build interrupted earlier may have left rows under this key.
	await Promise.all(['customer_portrait_rows', 'customer_portrait_hv'].map((t) => drop(t, 'key = {key:String}')));
	await writeParts(client, key, rules, asOf);
	if ((await dataVersion(client)) !== version) return null;
	const state: PortraitState = { key, asOf, builtAt: new Date().toISOString() };
	await writeSetting(client, PORTRAIT_KEY, state);
	await Promise.all(['customer_portrait_rows', 'customer_portrait_hv'].map((t) => drop(t, 'key != {key:String}')));
	return state;
}

async function writeParts(
	client: ClickHouseClient,
	key: string,
	rules: CustomerRules,
	asOf: string | null
): Promise<void> {
	// The churn driver cells and the customer value need no "now" and no contacts: a CRM export alone
	// has them.
	let queries: Partial<Record<PortraitPart, string>> = { ...CHURN_PARTS, ...ROI_PARTS };
	let params: Record<string, unknown> = {};
	if (asOf) {
		params = { ...signalParams(rules, asOf, PORTRAIT_MONTHS), portrait_key: key };
		await client.command({
			query: `INSERT INTO customer_portrait_hv (key, customer_id) SELECT {portrait_key:String}, customer_id FROM (${HIGH_VALUE_SQL})`,
			query_params: params
		});
		queries = { ...segmentParts(rules), ...NEEDS_PARTS, ...SIGNAL_PARTS, ...queries };
	}
	// One query at a time: a build shares the engine with the readers.
	for (const [part, query] of Object.entries(queries)) {
		const rows = await (
			await client.query({ query, query_params: params, format: 'JSONEachRow' })
		).json<{
			bucket?: string;
		}>();
		const values = rows.map((row, seq) => ({
			key,
			part,
			month: row.bucket ?? NO_MONTH,
			seq,
			row: JSON.stringify(row)
		}));
		if (values.length) await client.insert({ table: 'customer_portrait_rows', values, format: 'JSONEachRow' });
	}
}

const building = new WeakMap<ClickHouseClient, Promise<PortraitState | null>>();

/** The current portrait, built first when the data or the stored rules changed; one build at a time. */
export async function ensurePortrait(request: ClickHouseClient): Promise<PortraitState | null> {
	// The database's own client: a build outlives the request that found the portrait stale, so it
	// must not run under that request's time budget, and one build runs per database.
	const client = baseClient(request);
	const running = building.get(client);
	if (running) return running;
	const [state, version, rules] = await Promise.all([
		readSetting(client, PORTRAIT_KEY, PortraitStateSchema),
		dataVersion(client),
		readRules(client)
	]);
	if (state.key === portraitKey(version, rules)) return state;
	if (building.get(client)) return building.get(client)!;
	const run = buildPortrait(client).finally(() => building.delete(client));
	building.set(client, run);
	return run;
}

// Readers that find the portrait stale start a build in the background and answer from the roll-ups.
onStalePortrait((client) => {
	if (building.has(baseClient(client))) return;
	void ensurePortrait(client).catch((err) => console.error(`touchmap: customer portraits: ${(err as Error).message}`));
});
