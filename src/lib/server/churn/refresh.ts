/**
 * Why this exists: churn scores live in the `churn_scores` table so the at-risk list and the
 * customer 360 read them in milliseconds. A refresh trains the model on every customer whose
 * outcome the CRM knows (features as of a cutoff, see features.sql), scores the customers not yet
 * churned, and replaces the table. It runs when the data changed since the last refresh (checked
 * cheaply on each read, and once at start-up), one refresh at a time.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { readSetting, writeSetting } from '../queries/settings/settings';
import { configuredCluster, mutationTarget } from '$db/cluster';
import { getAsOf } from '../queries/customers/rules';
import { dataVersion } from '../kept';
import featuresSql from './features.sql?raw';
import { score, train, type ChurnModel, type FeatureRow } from './model';

export const MODEL_KEY = 'churn.model';
/** Behaviour of churned customers is read up to this many days before their churn date. */
export const LEAD_DAYS = 14;
/** Training rows are capped (deterministic sample) so a refresh stays a few seconds at 200k customers. */
export const MAX_TRAIN = 8000;

const StoredModelSchema = z
	.object({
		version: z.string().default(''),
		model: z.unknown().optional(),
		trainedOn: z.number().default(0),
		churned: z.number().default(0),
		refreshedAt: z.string().nullable().default(null)
	})
	.default({ version: '', trainedOn: 0, churned: 0, refreshedAt: null });
export type StoredModel = z.infer<typeof StoredModelSchema>;

export function readStoredModel(client: ClickHouseClient): Promise<StoredModel> {
	return readSetting(client, MODEL_KEY, StoredModelSchema);
}

export async function loadFeatures(client: ClickHouseClient, asOf: string): Promise<FeatureRow[]> {
	const rs = await client.query({
		query: featuresSql,
		query_params: { as_of: asOf, lead_days: LEAD_DAYS },
		format: 'JSONEachRow'
	});
	return rs.json<FeatureRow>();
}

/** A deterministic pseudo-random order of ids (FNV-1a), for sampling and splits. */
export function hashId(id: string, salt = 0): number {
	let h = 0x811c9dc5 ^ salt;
	for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
	return (h >>> 0) / 2 ** 32;
}

export function sample(rows: FeatureRow[], max: number): FeatureRow[] {
	if (rows.length <= max) return rows;
	return [...rows].sort((a, b) => hashId(a.customer_id) - hashId(b.customer_id)).slice(0, max);
}

let running: Promise<StoredModel> | undefined;

/** Trains, scores and replaces churn_scores; returns what was stored. */
export async function refreshChurnScores(client: ClickHouseClient): Promise<StoredModel> {
	const version = await dataVersion(client);
	const asOf = await getAsOf(client);
	const refreshedAt = new Date().toISOString();
	await client.command({ query: `TRUNCATE TABLE IF EXISTS ${mutationTarget(configuredCluster(), 'churn_scores')}` });
	if (!asOf) {
		const empty = { version, trainedOn: 0, churned: 0, refreshedAt };
		await writeSetting(client, MODEL_KEY, empty);
		return empty;
	}
	const rows = await loadFeatures(client, asOf);
	const training = sample(rows, MAX_TRAIN);
	const canTrain = training.some((r) => Number(r.churned)) && training.some((r) => !Number(r.churned));
	const model: ChurnModel | undefined = canTrain ? train(training) : undefined;
	if (model) {
		const out = [];
		for (const r of rows) {
			if (Number(r.churned)) continue;
			const s = score(model, r);
			out.push({
				customer_id: r.customer_id,
				score: s.score,
				value: r.lifetime_value,
				segment: r.segment,
				tier: r.tier,
				region: r.region,
				days_since_last: r.days_since_last === null ? 9999 : Number(r.days_since_last),
				complaints_90d: Number(r.c90),
				repeat_complaints: Number(r.max_same ?? 0),
				unresolved_90d: Number(r.unres90),
				sentiment_delta:
					Number(r.s90_n) && Number(r.sprev_n) ? r.s90_sum / Number(r.s90_n) - r.sprev_sum / Number(r.sprev_n) : null,
				reasons: JSON.stringify(s.reasons),
				refreshed_at: Date.parse(refreshedAt)
			});
		}
		for (let i = 0; i < out.length; i += 50_000) {
			await client.insert({ table: 'churn_scores', values: out.slice(i, i + 50_000), format: 'JSONEachRow' });
		}
	}
	const stored = {
		version,
		model,
		trainedOn: model?.trainedOn ?? 0,
		churned: model?.churned ?? 0,
		refreshedAt
	};
	await writeSetting(client, MODEL_KEY, stored);
	return stored;
}

/** Refreshes when the data changed since the stored model; concurrent callers share one run. */
export async function ensureChurnScores(client: ClickHouseClient): Promise<StoredModel> {
	if (running) return running;
	const [stored, version] = await Promise.all([readStoredModel(client), dataVersion(client)]);
	if (stored.version === version && stored.refreshedAt) return stored;
	running ??= refreshChurnScores(client).finally(() => {
		running = undefined;
	});
	return running;
}
