/**
 * Why this exists: reading and writing alert rules, destinations, subscriptions, what each rule saw
 * last, and the delivery outbox. Every table keeps versions (ReplacingMergeTree), so a write is an
 * insert of the new version and reads take the latest (FINAL).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import {
	DestinationSchema,
	RuleSchema,
	SubscriptionSchema,
	type Delivery,
	type Destination,
	type Rule,
	type Subscription
} from '$schemas/alerts';
import configSql from './config.sql?raw';
import deliveriesSql from './deliveries.sql?raw';
import dueSql from './due.sql?raw';
import recentSql from './recent.sql?raw';
import stateSql from './state.sql?raw';

export const ALERT_SQL = {
	config: configSql,
	deliveries: deliveriesSql,
	due: dueSql,
	recent: recentSql,
	state: stateSql
};

type ConfigKind = 'rule' | 'destination' | 'subscription';

let lastVersion = 0;
/**
 * TRICKY: the version column decides which row FINAL keeps; two writes in the same millisecond
 * (a delivery queued then sent at once) would tie, so versions only ever move forward.
 */
function version(now = Date.now()): number {
	lastVersion = Math.max(now, lastVersion + 1);
	return lastVersion;
}
const SCHEMA = { rule: RuleSchema, destination: DestinationSchema, subscription: SubscriptionSchema };

async function readConfig<K extends ConfigKind>(
	client: ClickHouseClient,
	kind: K
): Promise<z.infer<(typeof SCHEMA)[K]>[]> {
	const rs = await client.query({ query: configSql, query_params: { kind }, format: 'JSONEachRow' });
	const out: z.infer<(typeof SCHEMA)[K]>[] = [];
	for (const row of await rs.json<{ id: string; body: string }>()) {
		// A body an older version wrote that no longer parses is skipped, not fatal to the rest.
		const parsed = SCHEMA[kind].safeParse(JSON.parse(row.body));
		if (parsed.success) out.push(parsed.data as z.infer<(typeof SCHEMA)[K]>);
	}
	return out;
}

async function writeConfig(client: ClickHouseClient, kind: ConfigKind, id: string, body: unknown, deleted = false) {
	await client.insert({
		table: 'alert_config',
		values: [{ kind, id, body: JSON.stringify(body ?? {}), deleted: deleted ? 1 : 0, updated_at: version() }],
		format: 'JSONEachRow'
	});
}

export const listRules = (c: ClickHouseClient): Promise<Rule[]> => readConfig(c, 'rule');
export const listDestinations = (c: ClickHouseClient): Promise<Destination[]> => readConfig(c, 'destination');
export const listSubscriptions = (c: ClickHouseClient): Promise<Subscription[]> => readConfig(c, 'subscription');

export const saveRule = (c: ClickHouseClient, r: Rule) => writeConfig(c, 'rule', r.id, r);
export const saveDestination = (c: ClickHouseClient, d: Destination) => writeConfig(c, 'destination', d.id, d);
/** One subscription per user, keyed by the user's id. */
export const saveSubscription = (c: ClickHouseClient, s: Subscription) => writeConfig(c, 'subscription', s.userId, s);
export const removeConfig = (c: ClickHouseClient, kind: ConfigKind, id: string) => writeConfig(c, kind, id, {}, true);

export interface SeenState {
	value: number;
	flagged: boolean;
}

export async function readState(client: ClickHouseClient, ruleId: string): Promise<Map<string, SeenState>> {
	const rs = await client.query({ query: stateSql, query_params: { rule_id: ruleId }, format: 'JSONEachRow' });
	const rows = await rs.json<{ subject: string; value: number; flagged: number }>();
	return new Map(rows.map((r) => [r.subject, { value: Number(r.value), flagged: Number(r.flagged) === 1 }]));
}

export async function writeState(
	client: ClickHouseClient,
	ruleId: string,
	seen: { subject: string; value: number; flagged: boolean }[],
	now: number
): Promise<void> {
	if (!seen.length) return;
	await client.insert({
		table: 'alert_state',
		values: seen.map((s) => ({
			rule_id: ruleId,
			subject: s.subject,
			value: s.value,
			flagged: s.flagged ? 1 : 0,
			at: now
		})),
		format: 'JSONEachRow'
	});
}

/** A delivery row as stored, with the payload (the alert or digest to send) kept for retries. */
export interface DeliveryRow extends Delivery {
	payload: string;
}

interface RawDelivery {
	id: string;
	alert_key: string;
	rule_id: string;
	kind: string;
	title: string;
	payload: string;
	channel: string;
	destination_id: string;
	target: string;
	status: string;
	attempts: number;
	last_error: string;
	created: string;
	next_at: string;
	sent: string | null;
}

const DeliveryRowSchema = z
	.object({
		id: z.string(),
		alert_key: z.string(),
		rule_id: z.string(),
		kind: z.string(),
		title: z.string(),
		payload: z.string(),
		channel: z.enum(['email', 'webhook']),
		destination_id: z.string(),
		target: z.string(),
		status: z.enum(['pending', 'held', 'retrying', 'sent', 'failed']),
		attempts: z.coerce.number(),
		last_error: z.string(),
		created: z.string(),
		next_at: z.string(),
		sent: z.string().nullable()
	})
	.transform((r): DeliveryRow => ({
		id: r.id,
		alertKey: r.alert_key,
		ruleId: r.rule_id,
		kind: r.kind,
		title: r.title,
		payload: r.payload,
		channel: r.channel,
		destinationId: r.destination_id,
		target: r.target,
		status: r.status,
		attempts: r.attempts,
		lastError: r.last_error,
		createdAt: r.created,
		nextAttemptAt: r.next_at,
		sentAt: r.sent
	}));

export async function listDeliveries(
	client: ClickHouseClient,
	opts: { status?: string; limit: number }
): Promise<DeliveryRow[]> {
	const rs = await client.query({
		query: deliveriesSql,
		query_params: { status: opts.status ?? '', limit: opts.limit },
		format: 'JSONEachRow'
	});
	return z.array(DeliveryRowSchema).parse(await rs.json<RawDelivery>());
}

export async function dueDeliveries(client: ClickHouseClient, now: number): Promise<DeliveryRow[]> {
	const rs = await client.query({ query: dueSql, query_params: { now }, format: 'JSONEachRow' });
	return z.array(DeliveryRowSchema).parse(await rs.json<RawDelivery>());
}

export async function sentWithin(client: ClickHouseClient, alertKey: string, since: number): Promise<boolean> {
	const rs = await client.query({
		query: recentSql,
		query_params: { alert_key: alertKey, since },
		format: 'JSONEachRow'
	});
	const [row] = await rs.json<{ n: number | string }>();
	return Number(row?.n ?? 0) > 0;
}

const ts = (iso: string | number) =>
	typeof iso === 'number' ? iso : Date.parse(iso.includes('T') ? iso : `${iso.replace(' ', 'T')}Z`);

/** Writes a delivery's new version (a new one, or an attempt's outcome). */
export async function writeDeliveries(client: ClickHouseClient, rows: DeliveryRow[], now: number): Promise<void> {
	if (!rows.length) return;
	await client.insert({
		table: 'alert_deliveries',
		values: rows.map((d) => ({
			id: d.id,
			alert_key: d.alertKey,
			rule_id: d.ruleId,
			kind: d.kind,
			title: d.title.slice(0, 500),
			payload: d.payload,
			channel: d.channel,
			destination_id: d.destinationId,
			target: d.target,
			status: d.status,
			attempts: d.attempts,
			last_error: d.lastError.slice(0, 1000),
			created_at: ts(d.createdAt),
			next_attempt_at: ts(d.nextAttemptAt),
			sent_at: d.sentAt === null ? null : ts(d.sentAt),
			updated_at: version(now)
		})),
		format: 'JSONEachRow'
	});
}
