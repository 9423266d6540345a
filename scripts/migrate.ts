/**
 * Why this exists: `npm run migrate` — apply pending ClickHouse migrations without starting the server.
 */
import { closeDb, DatabaseLockedError, getDb } from '../src/lib/server/db/client';
import { ConfigError } from '../src/lib/server/env';
import { migrate } from '../src/lib/server/db/migrate';

try {
	const db = await getDb();
	const applied = await migrate(db);
	console.log(applied.length ? `migrate: applied ${applied.join(', ')}` : 'migrate: schema already up to date');
	await closeDb();
} catch (err) {
	const expected = err instanceof DatabaseLockedError || err instanceof ConfigError;
	console.error(`migrate: ${expected ? (err as Error).message : err}`);
	process.exit(1);
}
