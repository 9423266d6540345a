/**
 * Why this exists: `npm run migrate` — apply pending ClickHouse migrations without starting the server.
 * `npm run migrate -- --print` prints every statement as it would run (the cluster form when
 * CLICKHOUSE_CLUSTER is set) without connecting, for a review before a cluster deployment.
 */
import { parseArgs } from 'node:util';
import { closeDb, DatabaseLockedError, getDb } from '../db/client';
import { ConfigError, env } from '../db/env';
import { migrate, PartialBaselineError, plannedMigrations } from '../db/migrate';

try {
	const { values } = parseArgs({ options: { print: { type: 'boolean', default: false } } });
	if (values.print) {
		const e = env();
		const cluster = e.CLICKHOUSE_URL ? e.CLICKHOUSE_CLUSTER : undefined;
		const { bootstrap, migrations } = plannedMigrations({ cluster, database: e.CLICKHOUSE_DATABASE });
		console.log(`-- ${cluster ? `cluster ${cluster}` : 'single node'}, database ${e.CLICKHOUSE_DATABASE}\n`);
		for (const s of bootstrap) console.log(`${s};\n`);
		for (const m of migrations) {
			console.log(`-- ${m.version}\n`);
			for (const s of m.statements) console.log(`${s};\n`);
		}
	} else {
		const db = await getDb();
		const applied = await migrate(db);
		console.log(applied.length ? `migrate: applied ${applied.join(', ')}` : 'migrate: schema already up to date');
		await closeDb();
	}
} catch (err) {
	const expected =
		err instanceof DatabaseLockedError || err instanceof ConfigError || err instanceof PartialBaselineError;
	console.error(`migrate: ${expected ? (err as Error).message : err}`);
	process.exit(1);
}
