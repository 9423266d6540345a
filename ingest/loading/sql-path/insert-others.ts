/**
 * Why this exists: the SQL path's last step for customers and orders. Within a file the last line
 * of a customer or an order is its newest version, as in the loader's batches; it goes to a stage
 * of the table's own shape, and from there the loader's duplicate check and insert run unchanged.
 */
import type { Customer } from '../../../schemas/entities';
import { linkCustomers } from '../../enrichment/identity/resolve';
import { dedupKey, ENTITIES, storedDuplicate } from '../loader';
import { count, rowsOf, type SqlPathRun } from './context';

/** Inserts the stage's valid customers or orders; returns how many were new. */
export async function insertOthers(run: SqlPathRun): Promise<number> {
	const { db, mapping, runId } = run;
	const { stage } = run.tables;
	const spec = ENTITIES[mapping.entity];
	const cols = spec.columns.filter((c) => c !== 'ingest_run_id');
	const typed = `${stage}_t`;
	await db.client.command({
		query: `CREATE TABLE ${typed} ENGINE = MergeTree ORDER BY tuple() AS SELECT ${spec.columns.join(', ')} FROM ${spec.table} LIMIT 0`
	});
	try {
		await db.client.command({
			query: `INSERT INTO ${typed} (${spec.columns.join(', ')})
				SELECT ${cols.join(', ')}, {run:String} FROM ${stage} WHERE reason = ''
					AND ln IN (SELECT max(ln) FROM ${stage} WHERE reason = '' GROUP BY ${spec.identity.join(', ')})`,
			query_params: { run: runId }
		});
		const stored = storedDuplicate(spec, dedupKey(spec), typed);
		const total = await count(db, `SELECT count() AS n FROM ${typed}`);
		const already = await count(db, `SELECT count() AS n FROM ${typed} WHERE ${stored}`);
		await db.client.command({
			query: `INSERT INTO ${spec.table} (${spec.columns.join(', ')})
				SELECT ${spec.columns.join(', ')} FROM ${typed} WHERE NOT (${stored})`
		});
		if (mapping.entity === 'customer') {
			// CRM customers register their identifiers, in file order, as the JS path does.
			const rows = await rowsOf<Customer>(
				db,
				`SELECT customer_id, source, email, phone, attributes FROM ${stage} WHERE reason = '' ORDER BY ln`
			);
			for (let i = 0; i < rows.length; i += 50_000) await linkCustomers(db, rows.slice(i, i + 50_000));
		}
		run.timer.step('insert (dedup)');
		return total - already;
	} finally {
		await db.client.command({ query: `DROP TABLE IF EXISTS ${typed} SYNC` });
	}
}
