/**
 * Why this exists: the few runtime statements that cannot be written the same way on one node and on
 * a cluster (CLICKHOUSE_CLUSTER set; tables are Replicated `<name>_local` behind Distributed
 * `<name>`, see cluster-ddl.ts). Each helper returns exactly today's SQL fragment on one node, so
 * single-node SQL is unchanged; on a cluster:
 * - mutations (ALTER … DELETE/UPDATE/TTL, lightweight DELETE, TRUNCATE, DROP PARTITION) go to the
 *   local table ON CLUSTER: a Distributed table holds no rows and rejects mutations (its TRUNCATE
 *   only drops queued inserts);
 * - `IN (SELECT … FROM <a per-process Memory table>)` becomes GLOBAL IN: a subquery inside a
 *   distributed query is otherwise re-run on each shard, where that Memory table does not exist.
 * Queries reading Distributed tables need no change: CLUSTER_SETTINGS makes double-distributed
 * IN/JOIN subqueries GLOBAL and Distributed inserts synchronous, for every query of the client.
 */
import { localName, onClusterClause } from './cluster-ddl';
import { env } from './env';

/** Anything that knows its cluster (a `Db`, or a bare setting). */
interface ClusterAware {
	cluster?: string;
}

/** Client settings in cluster mode (unknown to the client's typed settings list, hence the record). */
export const CLUSTER_SETTINGS: Record<string, string | number> = {
	// An insert into a Distributed table returns once every shard has it: a session row, a setting or
	// an ingest cursor is read right after it is written. (Newer servers also call this
	// distributed_foreground_insert; the old name is accepted as an alias.)
	insert_distributed_sync: 1,
	// `x IN (SELECT … FROM distributed)` inside a query over a Distributed table would otherwise fail
	// ("double-distributed IN/JOIN subqueries is denied"); GLOBAL runs the subquery once and ships the
	// result to the shards — correct whatever the sharding of both tables.
	distributed_product_mode: 'global'
};

/** Target of a mutation: `table` on one node, `table_local ON CLUSTER 'c'` on a cluster. */
export function mutationTarget(db: ClusterAware, table: string): string {
	return db.cluster ? `${localName(table)} ${onClusterClause(db.cluster)}` : table;
}

/** `IN` on one node, `GLOBAL IN` on a cluster: for subqueries over per-process (Memory) tables. */
export function inLocalSubquery(db: ClusterAware): 'IN' | 'GLOBAL IN' {
	return db.cluster ? 'GLOBAL IN' : 'IN';
}

/** The cluster of this process's database (for code that holds a bare client, not a Db). */
export function configuredCluster(): ClusterAware {
	const e = env();
	return { cluster: e.CLICKHOUSE_URL ? e.CLICKHOUSE_CLUSTER : undefined };
}
