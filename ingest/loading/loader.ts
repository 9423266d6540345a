/**
 * Why this exists: the only writer of canonical tables. A batch is first written to a per-run
 * Memory staging table; one INSERT … SELECT then copies into the canonical table only the records
 * whose key is not stored yet (so re-ingesting a file adds nothing, and the roll-up views, which
 * fire on every insert, never count a record twice), filling each interaction's segment, region
 * and value tier from its customer on the way.
 */
import type { Db } from '../../db/client';
import { inLocalSubquery, mutationTarget } from '../../db/cluster';
import { sqlTemplate } from '../../db/sql-template';
import { csatTo10, type Customer, type EntityKind, type Interaction, type Order } from '../../schemas/entities';

interface EntitySpec<T> {
	table: string;
	/** Sort-key column used to narrow the duplicate lookup to the batch's keys. */
	key: string;
	/** Table the duplicate lookup reads (sorted by `key`); defaults to `table`. */
	keyTable?: string;
	/** Columns written from JS, in order. */
	columns: readonly string[];
	toRow(record: T, runId: string): unknown[];
	/** The columns naming one record: a record sharing them with a stored one is that record. */
	identity: string[];
	/**
	 * Versioned entities (customers, orders): the table keeps the newest row of each identity by
	 * this column, and a record whose `content` changed is written again. Without it
	 * (interactions) a stored identity is never written again.
	 */
	version?: string;
	/** The fields a new version may change. */
	content?: readonly string[];
	/** SELECT list used when copying from the stage (may enrich). */
	select?: string;
	/** JOIN after the stage (alias `s`): `{{stage}}` is the stage table, `{{in_stage}}` IN or GLOBAL IN. */
	join?: string;
}

const ch = (iso: string) => iso.replace('T', ' ').replace(/Z$|[+-]\d\d:\d\d$/, '');
const bool = (b: boolean | null) => (b === null ? null : b ? 1 : 0);

/** What an interaction takes from its customer's latest CRM row (both ingest paths join it). */
export const CUSTOMER_FIELDS =
	'argMax(segment, updated_at) AS c_segment, argMax(region, updated_at) AS c_region, argMax(tier, updated_at) AS c_tier';

/** The columns an ingest writes into interactions (the rest are defaults or views' work). */
export const INTERACTION_COLUMNS = [
	'interaction_id',
	'source',
	'source_id',
	'customer_id',
	'ts',
	'channel',
	'stage',
	'touchpoint',
	'scenario',
	'intent',
	'is_complaint',
	'outcome',
	'fcr',
	'wait_s',
	'handle_s',
	'first_response_s',
	'csat',
	'csat_scale_min',
	'csat_scale_max',
	'csat_10',
	'nps',
	'sentiment',
	'language',
	'text',
	'agent',
	'team',
	'region',
	'product',
	'segment',
	'tier',
	'attributes',
	'ingest_run_id'
];

/** The fields a newer CRM row of a customer may change (written in this order after the id). */
const CUSTOMER_CONTENT = [
	'source',
	'name',
	'email',
	'phone',
	'segment',
	'tier',
	'region',
	'account_opened',
	'lifetime_value',
	'revenue',
	'status',
	'churn_date',
	'attributes'
] as const satisfies readonly (keyof Customer)[];

/** The fields a newer export of an order may change. */
const ORDER_CONTENT = [
	'source',
	'ts',
	'amount',
	'currency',
	'status',
	'channel',
	'items',
	'product',
	'attributes'
] as const satisfies readonly (keyof Order)[];

export const ENTITIES: {
	interaction: EntitySpec<Interaction>;
	customer: EntitySpec<Customer>;
	order: EntitySpec<Order>;
} = {
	interaction: {
		table: 'interactions',
		key: 'interaction_id',
		keyTable: 'interaction_keys',
		columns: INTERACTION_COLUMNS,
		identity: ['interaction_id'],
		toRow: (r, runId) => [
			interactionId(r.source, r.source_id),
			r.source,
			r.source_id,
			r.customer_id,
			ch(r.ts),
			r.channel,
			r.stage,
			r.touchpoint,
			r.scenario,
			r.intent,
			r.is_complaint ? 1 : 0,
			r.outcome,
			bool(r.fcr),
			r.wait_s,
			r.handle_s,
			r.first_response_s,
			r.csat,
			r.csat_scale_min,
			r.csat_scale_max,
			r.csat === null ? null : csatTo10(r.csat, r.csat_scale_min, r.csat_scale_max),
			r.nps,
			r.sentiment,
			r.language,
			r.text,
			r.agent,
			r.team,
			r.region,
			r.product,
			r.segment,
			'', // tier: from the customer, below
			r.attributes,
			runId
		],
		// Interactions inherit the customer's segment and region when the source did not say, and
		// always the customer's value tier (what the journey roll-up's high-value filter reads).
		select: INTERACTION_COLUMNS.map((c) =>
			c === 'segment'
				? "if(s.segment = '', c.c_segment, s.segment) AS segment"
				: c === 'region'
					? "if(s.region = '', c.c_region, s.region) AS region"
					: c === 'tier'
						? "if(s.customer_id = '', '', c.c_tier) AS tier"
						: `s.${c}`
		).join(', '),
		join: `LEFT JOIN (
			SELECT customer_id, ${CUSTOMER_FIELDS}
			FROM customers WHERE customer_id {{in_stage}} (SELECT customer_id FROM {{stage}})
			GROUP BY customer_id) AS c ON s.customer_id = c.customer_id`
	},
	customer: {
		table: 'customers',
		key: 'customer_id',
		columns: ['customer_id', ...CUSTOMER_CONTENT, 'ingest_run_id'],
		toRow: (r, runId) => [r.customer_id, ...CUSTOMER_CONTENT.map((c) => r[c]), runId],
		// A CRM re-export may change a customer (a new segment, a churn): a changed row is inserted
		// and ReplacingMergeTree keeps the newest; only a row equal to the newest stored one is a
		// duplicate.
		identity: ['customer_id'],
		version: 'updated_at',
		content: CUSTOMER_CONTENT
	},
	order: {
		table: 'orders',
		key: 'customer_id',
		columns: ['order_id', 'customer_id', ...ORDER_CONTENT, 'ingest_run_id'],
		toRow: (r, runId) => [
			r.order_id,
			r.customer_id,
			...ORDER_CONTENT.map((c) => (c === 'ts' ? ch(r.ts) : r[c])),
			runId
		],
		// An order changes too (shipped, delivered, refunded): as for customers, the newest row wins.
		identity: ['customer_id', 'order_id'],
		version: 'ingested_at',
		content: ORDER_CONTENT
	}
};

/**
 * What a record's content is, NULL-safe: `cityHash64` of any NULL argument is NULL, and every
 * active customer has no churn date, so hashing the fields themselves made every customer equal
 * to every other version of itself. The tuple's text keeps NULL as a value.
 */
const fingerprint = (fields: readonly string[], alias: string) =>
	`cityHash64(toString(tuple(${fields.map((f) => alias + f).join(', ')})))`;

/** A staged record's key as the duplicate check compares it (`alias`: the stage's, e.g. `s.`). */
export function dedupKey(spec: Pick<EntitySpec<never>, 'identity' | 'content'>, alias = ''): string {
	const parts = spec.identity.map((c) => alias + c);
	if (spec.content) parts.push(fingerprint(spec.content, alias));
	return parts.length === 1 ? parts[0]! : `(${parts.join(', ')})`;
}

/**
 * TRUE where `outer` (the dedup key of a staged row) is stored already: for a versioned entity,
 * equal to the newest stored version of its identity (so A → B → A stores A again). Only stored
 * rows sharing a key with the stage are compared (bloom filter / sort key prune the rest). Both
 * ingest paths decide duplicates with it.
 */
export function storedDuplicate(
	spec: Pick<EntitySpec<never>, 'table' | 'key' | 'keyTable' | 'identity' | 'version' | 'content'>,
	outer: string,
	stage: string,
	inStage = 'IN'
): string {
	const narrow = `${spec.key} ${inStage} (SELECT ${spec.key} FROM ${stage})`;
	const ids = spec.identity.join(', ');
	const stored =
		spec.version && spec.content
			? `SELECT ${ids}, argMax(${fingerprint(spec.content, '')}, ${spec.version}) FROM ${spec.table} WHERE ${narrow} GROUP BY ${ids}`
			: `SELECT ${dedupKey(spec)} FROM ${spec.keyTable ?? spec.table} WHERE ${narrow}`;
	return `${outer} IN (${stored})`;
}

/** The stored key of an interaction: stable across re-ingests of the same source record. */
export function interactionId(source: string, sourceId: string): string {
	return `${source}:${sourceId}`;
}

export class Loader {
	private readonly stage: string;
	private created = false;
	/** Set when a previous run crashed: the next batch re-checks its keys against the table. */
	repairNext = false;
	/**
	 * TRICKY: with a ClickHouse server every statement touching the stage runs in one session: the
	 * stage is a Memory table whose rows live on one node, and a load balancer (ClickHouse Cloud
	 * with several replicas) routes a session's requests to the same node. Nothing on embedded.
	 */
	private readonly sticky: { session_id?: string };

	constructor(
		private readonly db: Db,
		private readonly entity: EntityKind,
		runId: string
	) {
		this.stage = `_stage_${entity}_${runId.replace(/[^A-Za-z0-9]/g, '')}`;
		this.sticky = db.kind === 'remote' ? { session_id: `touchmap${this.stage}` } : {};
	}

	private get spec(): EntitySpec<unknown> {
		return ENTITIES[this.entity] as EntitySpec<unknown>;
	}

	/** Writes records not yet stored; returns how many were new and how many already present. */
	async load(records: unknown[], runId: string): Promise<{ inserted: number; duplicates: number }> {
		if (records.length === 0) return { inserted: 0, duplicates: 0 };
		const { client } = this.db;
		const spec = this.spec;
		if (!this.created) {
			// Memory engine: the stage never touches disk and vanishes with the process if we crash.
			await client.command({
				...this.sticky,
				query: `CREATE TABLE IF NOT EXISTS ${this.stage} ENGINE = Memory AS SELECT ${spec.columns.join(', ')} FROM ${spec.table} LIMIT 0`
			});
			this.created = true;
		}
		await client.command({ ...this.sticky, query: `TRUNCATE TABLE ${this.stage}` });
		// The same record twice in one batch: an interaction's first copy is kept (it is never
		// updated); a customer's or an order's last (a later line is the newer version).
		const at = spec.identity.map((c) => spec.columns.indexOf(c));
		const byId = new Map<string, unknown[]>();
		for (const r of records) {
			const row = spec.toRow(r, runId);
			const id = at.map((i) => String(row[i])).join('\u0000');
			if (spec.version || !byId.has(id)) byId.set(id, row);
		}
		const rows = [...byId.values()];
		const duplicates = records.length - rows.length;
		if (this.db.rawInsert) {
			// One JSON line per row handed to ClickHouse as one buffer (same format, fewer copies).
			let body = '';
			for (const row of rows) body += JSON.stringify(row) + '\n';
			await this.db.rawInsert({ table: this.stage, columns: spec.columns, format: 'JSONCompactEachRow', values: body });
		} else
			await client.insert({
				...this.sticky,
				table: this.stage,
				values: rows,
				format: 'JSONCompactEachRow',
				columns: spec.columns as [string, ...string[]]
			});
		// TRICKY: on a cluster the stage is a Memory table on this node only: subqueries over it run
		// GLOBAL (evaluated here, shipped to the shards). Plain IN on one node.
		const inStage = inLocalSubquery(this.db);
		if (this.repairNext && this.entity === 'interaction') {
			// TRICKY: after a crash, the interrupted batch may be in `interactions` without its keys
			// (or the reverse): the key view writes its own part after the table's. Rebuild this batch's
			// keys from the table itself, so the check below neither doubles nor drops a record.
			// Idempotent: a crash in between is repaired the same way on the next restart.
			await client.command(
				this.db.cluster
					? {
							...this.sticky,
							// Runs on every node (ON CLUSTER), where the stage does not exist: the keys go as a parameter.
							query: `DELETE FROM ${mutationTarget(this.db, 'interaction_keys')} WHERE interaction_id IN {ids:Array(String)}`,
							query_params: { ids: rows.map((r) => String(r[0])) }
						}
					: {
							...this.sticky,
							query: `DELETE FROM interaction_keys WHERE interaction_id IN (SELECT interaction_id FROM ${this.stage})`
						}
			);
			await client.command({
				...this.sticky,
				query: `INSERT INTO interaction_keys SELECT DISTINCT interaction_id FROM interactions
					WHERE interaction_id ${inStage} (SELECT interaction_id FROM ${this.stage})`
			});
		}
		this.repairNext = false;
		const existing = (outer: string) => storedDuplicate(spec, outer, this.stage, inStage);
		const stored = await client.query({
			...this.sticky,
			query: `SELECT count() AS n FROM ${this.stage} WHERE ${existing(dedupKey(spec))}`,
			format: 'JSONEachRow'
		});
		const already = Number((await stored.json<{ n: number | string }>())[0]?.n ?? 0);
		const select = spec.select ?? spec.columns.map((c) => `s.${c}`).join(', ');
		const join = spec.join ? sqlTemplate(spec.join, { stage: this.stage, in_stage: inStage }) : '';
		await client.command({
			...this.sticky,
			query: `INSERT INTO ${spec.table} (${spec.columns.join(', ')})
				SELECT ${select} FROM ${this.stage} AS s ${join}
				WHERE NOT (${existing(dedupKey(spec, 's.'))})`
		});
		return { inserted: rows.length - already, duplicates: duplicates + already };
	}

	async close(): Promise<void> {
		if (this.created) await this.db.client.command({ ...this.sticky, query: `DROP TABLE IF EXISTS ${this.stage}` });
		this.created = false;
	}
}
