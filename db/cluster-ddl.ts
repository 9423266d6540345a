/**
 * Why this exists: migrations are written once, for one node (`CREATE TABLE x {{on_cluster}} … ENGINE =
 * MergeTree`). On a ClickHouse cluster (CLICKHOUSE_CLUSTER set) each table must become a Replicated
 * table on every node plus a Distributed table in front of it, materialised views must fire on the
 * local tables, and mutations must target the local tables. This planner rewrites each single-node
 * statement into its cluster form, so the migration files, and every query reading `<name>`, stay
 * the same in both modes. Pure functions: unit-tested for both modes, and every generated statement
 * is parsed by ClickHouse's own parser (tests/integration/cluster-ddl-parse.test.ts).
 *
 * The cluster form of a table `t`:
 *   t_local  ON CLUSTER — Replicated<Engine>('/clickhouse/tables/{shard}/{database}/t_local', '{replica}', <engine args>)
 *   t        ON CLUSTER — AS t_local ENGINE = Distributed('<cluster>', '<database>', 't_local', <sharding key>)
 * Materialised view: `CREATE MATERIALIZED VIEW v ON CLUSTER c TO t_local AS SELECT … FROM s_local`
 * (it fires on the node that receives the rows; its target replicates them).
 * Backfill `INSERT INTO t SELECT …`: into the Distributed table, synchronously (see planInsert).
 * ALTER (non-column), DELETE, TRUNCATE, OPTIMIZE: on `t_local ON CLUSTER` (Distributed tables
 * hold no data and reject mutations). Memory/Log/Null tables: created on every node, node-local.
 * Any other statement shape throws: a migration the planner does not understand must not half-apply.
 *
 * `{{on_cluster}}` marks where the ON CLUSTER clause goes (filled by sqlTemplate). The older
 * spelling `{on_cluster}` is read as the same slot, so a migration written that way still plans.
 */
import { sqlTemplate } from './sql-template';

/** Engines with a Replicated variant taking (zk path, replica name, …the engine's own args). */
const REPLICABLE = new Set([
	'MergeTree',
	'ReplacingMergeTree',
	'SummingMergeTree',
	'AggregatingMergeTree',
	'CollapsingMergeTree',
	'VersionedCollapsingMergeTree',
	'GraphiteMergeTree',
	'CoalescingMergeTree'
]);
/** Engines whose rows cannot be replicated: created on every node, each node keeps its own rows. */
const NODE_LOCAL = new Set(['Memory', 'Log', 'TinyLog', 'StripeLog', 'Null']);
/** Engines that collapse rows sharing the sort key: those rows must live on one shard. */
const MERGING = /^(Replacing|Summing|Aggregating|Collapsing|VersionedCollapsing|Coalescing|Graphite)MergeTree$/;

/** Hash of the customer: a customer's rows, in every per-customer table, live on one shard. */
export const BY_CUSTOMER = 'cityHash64(customer_id)';

/**
 * Sharding keys chosen by hand. interactions: by customer (so a customer's contacts, timeline,
 * roll-ups and CRM row share a shard and the views' customer lookups stay local), but anonymous
 * contacts (customer_id = '', e.g. social posts) are spread by their own id instead of all landing
 * on one shard. ingest_leases: a source's lease log on one shard (one replica set decides).
 */
export const SHARDING_OVERRIDES: Record<string, string> = {
	interactions: "if(customer_id = '', cityHash64(interaction_id), cityHash64(customer_id))",
	ingest_leases: 'cityHash64(source)'
};

export type TableKind = 'replicated' | 'node-local' | 'view';

export interface TableInfo {
	name: string;
	kind: TableKind;
	engine: string;
	/** Column names (for `AS other` tables: the other table's). */
	columns: string[];
	orderBy: string[];
	shardingKey?: string;
}

export interface PlanOptions {
	/** Cluster name; unset = single node (statements as written, the ON CLUSTER slot left empty). */
	cluster?: string;
	/** Database the Distributed tables point to. */
	database: string;
}

/** What the planner knows about tables created by earlier statements (filled as it goes). */
export interface PlanState extends PlanOptions {
	tables: Map<string, TableInfo>;
}

export class UnsupportedStatementError extends Error {
	constructor(reason: string, statement: string) {
		super(`cluster DDL planner: ${reason}. Statement: ${statement.replace(/\s+/g, ' ').slice(0, 160)}`);
	}
}

export function newPlanState(opts: PlanOptions): PlanState {
	return { ...opts, tables: new Map() };
}

export const localName = (name: string) => `${name}_local`;
export const onClusterClause = (cluster: string) => `ON CLUSTER '${cluster}'`;
export const zooKeeperPath = (name: string) => `/clickhouse/tables/{shard}/{database}/${localName(name)}`;

const SLOT = '{{on_cluster}}';
/** The slot as older migrations spell it (single braces; not inside `{{on_cluster}}`). */
const OLD_SLOT = /(?<!\{)\{on_cluster\}(?!\})/g;

/** Fills the ON CLUSTER slot, if the statement has one, with `clause` ('' on a single node). */
function fillSlot(s: string, clause: string): string {
	return s.includes(SLOT) ? sqlTemplate(s, { on_cluster: clause }) : s;
}

/**
 * Plans one migration statement: the statements to run, in order. Single-node mode returns the
 * statement with its ON CLUSTER slot left empty — exactly what the runner executed before clusters
 * existed.
 */
export function planStatement(statement: string, state: PlanState): string[] {
	const s = statement.trim().replace(OLD_SLOT, SLOT);
	if (!state.cluster) return [fillSlot(s, '')];
	const on = onClusterClause(state.cluster);
	if (/^CREATE\s+TABLE\b/i.test(s)) return planCreateTable(s, state, on);
	if (/^CREATE\s+MATERIALIZED\s+VIEW\b/i.test(s)) return planMaterializedView(s, state, on);
	if (/^CREATE\s+VIEW\b/i.test(s)) return [withCluster(s, on, /^(CREATE\s+VIEW\s+(?:IF\s+NOT\s+EXISTS\s+)?\w+)/i)];
	if (/^INSERT\s+INTO\b/i.test(s)) return planInsert(s, state);
	if (/^ALTER\s+TABLE\b/i.test(s)) return planAlter(s, state, on);
	if (/^DELETE\s+FROM\b/i.test(s)) return planLocalCommand(s, state, on, /^DELETE\s+FROM\s+(\w+)/i);
	if (/^(TRUNCATE|OPTIMIZE)\s+TABLE\b/i.test(s))
		return planLocalCommand(s, state, on, /^(?:TRUNCATE|OPTIMIZE)\s+TABLE\s+(?:IF\s+EXISTS\s+)?(\w+)/i);
	if (/^DROP\s+(TABLE|VIEW)\b/i.test(s)) return planDrop(s, state, on);
	throw new UnsupportedStatementError('unknown statement shape', s);
}

// ---------------------------------------------------------------------------------------------
// CREATE TABLE

interface ParsedCreateTable {
	ifNotExists: string;
	name: string;
	/** `(cols…)` verbatim, or undefined for `AS other`. */
	columnsBlock?: string;
	asTable?: string;
	engine: string;
	engineArgs?: string;
	/** Everything after the engine (PARTITION BY, ORDER BY, TTL, SETTINGS…). */
	rest: string;
}

function parseCreateTable(s: string): ParsedCreateTable {
	const head = /^CREATE\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?(\w+)\s*(?:\{\{on_cluster\}\})?\s*/i.exec(s);
	if (!head) throw new UnsupportedStatementError('CREATE TABLE without a plain table name', s);
	let i = head[0].length;
	let columnsBlock: string | undefined;
	let asTable: string | undefined;
	if (s[i] === '(') {
		const end = matchParen(s, i);
		columnsBlock = s.slice(i, end + 1);
		i = end + 1;
	} else {
		const as = /^AS\s+(\w+)\s*/i.exec(s.slice(i));
		if (!as) throw new UnsupportedStatementError('CREATE TABLE needs a column list or AS <table>', s);
		asTable = as[1];
		i += as[0].length;
	}
	const eng = /^\s*ENGINE\s*=\s*(\w+)/i.exec(s.slice(i));
	if (!eng) throw new UnsupportedStatementError('CREATE TABLE without ENGINE = …', s);
	i += eng[0].length;
	let engineArgs: string | undefined;
	if (s[i] === '(') {
		const end = matchParen(s, i);
		engineArgs = s.slice(i + 1, end).trim();
		i = end + 1;
	}
	return {
		ifNotExists: head[1] ? 'IF NOT EXISTS ' : '',
		name: head[2]!,
		columnsBlock,
		asTable,
		engine: eng[1]!,
		engineArgs,
		rest: s.slice(i).trim()
	};
}

function planCreateTable(s: string, state: PlanState, on: string): string[] {
	const t = parseCreateTable(s);
	const source = t.asTable ? state.tables.get(t.asTable) : undefined;
	if (t.asTable && !source)
		throw new UnsupportedStatementError(`AS ${t.asTable}: table not created by an earlier migration`, s);
	const columns = t.columnsBlock ? columnNames(t.columnsBlock) : source!.columns;
	const orderBy = parseOrderBy(t.rest);
	if (NODE_LOCAL.has(t.engine)) {
		state.tables.set(t.name, { name: t.name, kind: 'node-local', engine: t.engine, columns, orderBy });
		return [withCluster(s, on, /^(CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?\w+)/i)];
	}
	if (!REPLICABLE.has(t.engine)) throw new UnsupportedStatementError(`engine ${t.engine} has no cluster form here`, s);
	if (t.asTable && source!.kind !== 'replicated')
		throw new UnsupportedStatementError(`AS ${t.asTable}: only a replicated table can be copied`, s);
	const shardingKey = shardingKeyFor(t.name, t.engine, columns, orderBy);
	state.tables.set(t.name, { name: t.name, kind: 'replicated', engine: t.engine, columns, orderBy, shardingKey });
	const local = localName(t.name);
	const replicatedArgs = [`'${zooKeeperPath(t.name)}'`, `'{replica}'`, ...(t.engineArgs ? [t.engineArgs] : [])].join(
		', '
	);
	const structure = t.columnsBlock ?? `AS ${localName(t.asTable!)}`;
	return [
		`CREATE TABLE ${t.ifNotExists}${local} ${on}\n${structure}\nENGINE = Replicated${t.engine}(${replicatedArgs})` +
			(t.rest ? `\n${t.rest}` : ''),
		`CREATE TABLE ${t.ifNotExists}${t.name} ${on} AS ${local}\n` +
			`ENGINE = Distributed('${state.cluster}', '${state.database}', '${local}', ${shardingKey})`
	];
}

/**
 * The sharding key: rows that must meet on one shard share its value.
 * - A hand-picked key (SHARDING_OVERRIDES) wins.
 * - Merging engines (Replacing/Aggregating/…): rows with the same sort key collapse only when they
 *   are on the same shard, so the key hashes the sort key — or only customer_id when the sort key
 *   contains it (a customer's rows stay together and versions of one row still meet).
 * - Other tables with a customer_id column: by customer. The rest: rand() (even spread).
 */
export function shardingKeyFor(name: string, engine: string, columns: string[], orderBy: string[]): string {
	const override = SHARDING_OVERRIDES[name];
	if (override) return override;
	if (MERGING.test(engine)) {
		if (orderBy.includes('customer_id')) return BY_CUSTOMER;
		if (orderBy.length === 0) throw new Error(`table ${name}: a ${engine} needs ORDER BY to pick a sharding key`);
		return `cityHash64(${orderBy.join(', ')})`;
	}
	if (columns.includes('customer_id')) return BY_CUSTOMER;
	return 'rand()';
}

/** Plain column names of an ORDER BY key; `tuple()` → []. */
export function parseOrderBy(rest: string): string[] {
	const m = /\bORDER\s+BY\s+(\([^)]*\)|[\w.]+)/i.exec(rest);
	if (!m) return [];
	const body = m[1]!.startsWith('(') ? m[1]!.slice(1, -1) : m[1]!;
	if (/^tuple$/i.test(body.trim())) return [];
	return splitTopLevel(body)
		.map((c) => c.trim())
		.filter(Boolean);
}

function columnNames(block: string): string[] {
	return splitTopLevel(block.slice(1, -1))
		.map((c) => c.trim())
		.filter((c) => c && !/^(INDEX|PROJECTION|CONSTRAINT)\b/i.test(c))
		.map((c) => /^`?(\w+)`?/.exec(c)![1]!);
}

// ---------------------------------------------------------------------------------------------
// Materialised views, backfills, ALTER / DELETE / TRUNCATE / DROP

function planMaterializedView(s: string, state: PlanState, on: string): string[] {
	const m =
		/^CREATE\s+MATERIALIZED\s+VIEW\s+(IF\s+NOT\s+EXISTS\s+)?(\w+)\s*(?:\{\{on_cluster\}\})?\s*TO\s+(\w+)\s+AS\s+/i.exec(
			s
		);
	if (!m)
		throw new UnsupportedStatementError(
			'materialised view without `TO <table>` (an inner-engine view cannot be replicated here)',
			s
		);
	const [, ine = '', name, target] = m;
	const t = state.tables.get(target!);
	if (!t || t.kind === 'view') throw new UnsupportedStatementError(`view target ${target} is not a known table`, s);
	state.tables.set(name!, { name: name!, kind: 'view', engine: 'MaterializedView', columns: [], orderBy: [] });
	const select = localizeTableRefs(s.slice(m[0].length), state, s);
	const to = t.kind === 'replicated' ? localName(target!) : target!;
	return [`CREATE MATERIALIZED VIEW ${ine ? 'IF NOT EXISTS ' : ''}${name} ${on} TO ${to} AS\n${select}`];
}

/**
 * In a view's SELECT, every table read becomes its local table: the view runs on the node that
 * received the insert and sees that node's rows. The customer lookup in journey_daily_mv stays
 * correct because customers and interactions are sharded by the same customer hash.
 */
function localizeTableRefs(select: string, state: PlanState, statement: string): string {
	return select.replace(
		/\b(FROM|JOIN)(\s+)(\w+)\b(\s*\(?)/gi,
		(all, kw: string, sp: string, name: string, after: string) => {
			if (after.includes('(')) return all; // table function
			const t = state.tables.get(name);
			if (!t) throw new UnsupportedStatementError(`view reads ${name}, not a table created by a migration`, statement);
			if (t.kind === 'view')
				throw new UnsupportedStatementError(`view reads the view ${name}; read its target table`, statement);
			return `${kw}${sp}${t.kind === 'replicated' ? localName(name) : name}${after}`;
		}
	);
}

/**
 * Backfill `INSERT INTO t SELECT …` (run once, by one process): into the Distributed table, which
 * reads the whole cluster and routes each row to its shard by the sharding key. Synchronous
 * (insert_distributed_sync = 1), so the next statement — often the next backfill, reading this
 * table — sees the rows; double-distributed IN/JOIN subqueries run GLOBAL (correct whatever the
 * sharding). The per-shard alternative (INSERT INTO t_local … FROM s_local ON CLUSTER) would be
 * faster but is only correct when source and target share a sharding key; not worth the risk for a
 * one-off backfill.
 */
function planInsert(s: string, state: PlanState): string[] {
	const m = /^INSERT\s+INTO\s+(\w+)(\s*\([^)]*\))?\s+SELECT\b/i.exec(s);
	if (!m)
		throw new UnsupportedStatementError('only INSERT INTO <table> [(cols)] SELECT … is supported in migrations', s);
	const t = state.tables.get(m[1]!);
	if (!t || t.kind !== 'replicated')
		throw new UnsupportedStatementError(`INSERT into ${m[1]}: only replicated tables can be filled by a migration`, s);
	return [
		`INSERT INTO ${m[1]}${m[2] ?? ''} SETTINGS insert_distributed_sync = 1, distributed_product_mode = 'global'\n` +
			s.slice(m[0].length - 'SELECT'.length)
	];
}

const COLUMN_COMMAND = /^(ADD|DROP|MODIFY|RENAME|COMMENT)\s+COLUMN\b/i;

/**
 * Column changes apply to both tables (the Distributed table carries the structure too); every
 * other ALTER (TTL, indexes, projections, UPDATE/DELETE mutations, partitions) to the local one.
 */
function planAlter(s: string, state: PlanState, on: string): string[] {
	const m = /^ALTER\s+TABLE\s+(\w+)\s*(?:\{\{on_cluster\}\})?\s*/i.exec(s);
	if (!m) throw new UnsupportedStatementError('ALTER TABLE without a plain table name', s);
	const name = m[1]!;
	const body = s.slice(m[0].length);
	const t = state.tables.get(name);
	if (!t) throw new UnsupportedStatementError(`ALTER of ${name}, not a table created by a migration`, s);
	if (t.kind !== 'replicated') {
		if (t.kind === 'view') throw new UnsupportedStatementError(`ALTER of the view ${name}`, s);
		return [`ALTER TABLE ${name} ${on} ${body}`];
	}
	const commands = splitTopLevel(body).map((c) => c.trim());
	const columnOps = commands.filter((c) => COLUMN_COMMAND.test(c));
	if (columnOps.length && columnOps.length !== commands.length)
		throw new UnsupportedStatementError('ALTER mixing column changes with other commands: split it', s);
	const local = `ALTER TABLE ${localName(name)} ${on} ${body}`;
	if (!columnOps.length) return [local];
	for (const c of columnOps) {
		const add = /^ADD\s+COLUMN\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)/i.exec(c);
		if (add) t.columns.push(add[1]!);
	}
	return [local, `ALTER TABLE ${name} ${on} ${body}`];
}

function planLocalCommand(s: string, state: PlanState, on: string, re: RegExp): string[] {
	const m = re.exec(s);
	if (!m) throw new UnsupportedStatementError('expected a plain table name', s);
	const name = m[1]!;
	const t = state.tables.get(name);
	if (!t || t.kind === 'view') throw new UnsupportedStatementError(`${name} is not a table created by a migration`, s);
	const target = t.kind === 'replicated' ? localName(name) : name;
	const head = m[0].slice(0, m[0].length - name.length) + target;
	const tail = s
		.slice(m[0].length)
		.replace(/^\s*\{\{on_cluster\}\}/, '')
		.trim();
	return [tail ? `${head} ${on} ${tail}` : `${head} ${on}`];
}

function planDrop(s: string, state: PlanState, on: string): string[] {
	const m = /^DROP\s+(TABLE|VIEW)\s+(IF\s+EXISTS\s+)?(\w+)\s*(?:\{\{on_cluster\}\})?\s*(SYNC)?\s*$/i.exec(s);
	if (!m) throw new UnsupportedStatementError('DROP with more than a table name', s);
	const [, what, ie = '', name] = m;
	const t = state.tables.get(name!);
	state.tables.delete(name!);
	const ifExists = ie ? 'IF EXISTS ' : '';
	const drops = [`DROP ${what!.toUpperCase()} ${ifExists}${name} ${on} SYNC`];
	if (t?.kind === 'replicated') drops.push(`DROP TABLE ${ifExists}${localName(name!)} ${on} SYNC`);
	return drops;
}

// ---------------------------------------------------------------------------------------------
// helpers

/** Fills the ON CLUSTER slot (or inserts the clause after the matched head when there is none). */
function withCluster(s: string, on: string, head: RegExp): string {
	return s.includes(SLOT) ? fillSlot(s, on) : s.replace(head, `$1 ${on}`);
}

/** Index of the parenthesis closing the one at `open` (quotes respected). */
function matchParen(s: string, open: number): number {
	let depth = 0;
	let quote: string | undefined;
	for (let i = open; i < s.length; i++) {
		const c = s[i]!;
		if (quote) {
			if (c === '\\') i++;
			else if (c === quote) quote = undefined;
		} else if (c === "'" || c === '`' || c === '"') quote = c;
		else if (c === '(') depth++;
		else if (c === ')' && --depth === 0) return i;
	}
	throw new Error(`unbalanced parenthesis at ${open}`);
}

/** Splits on commas outside parentheses and quotes. */
function splitTopLevel(s: string): string[] {
	const out: string[] = [];
	let depth = 0;
	let quote: string | undefined;
	let start = 0;
	for (let i = 0; i < s.length; i++) {
		const c = s[i]!;
		if (quote) {
			if (c === '\\') i++;
			else if (c === quote) quote = undefined;
		} else if (c === "'" || c === '`' || c === '"') quote = c;
		else if (c === '(' || c === '[') depth++;
		else if (c === ')' || c === ']') depth--;
		else if (c === ',' && depth === 0) {
			out.push(s.slice(start, i));
			start = i + 1;
		}
	}
	out.push(s.slice(start));
	return out;
}
