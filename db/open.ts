/**
 * Why this exists: every entry point (server start-up, CLIs, tests) needs "a client with the schema
 * up to date"; this is that, in one call.
 */
import { getDb, type Db } from './client';
import { migrate } from './migrate';

let ready: Promise<Db> | undefined;

export function openDb(): Promise<Db> {
	ready ??= (async () => {
		const db = await getDb();
		await migrate(db);
		return db;
	})().catch((err) => {
		ready = undefined;
		throw err;
	});
	return ready;
}

export function forgetDb(): void {
	ready = undefined;
}
