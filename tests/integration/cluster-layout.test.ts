/**
 * A database keeps the layout it was created with: turning CLICKHOUSE_CLUSTER on for a single-node
 * database must stop with a reason, before any statement runs (every CREATE is IF NOT EXISTS, so it
 * would otherwise "succeed" and leave plain tables where Distributed ones are expected).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrate';
import { freshDb, rows } from '../helpers/db';

let ctx: Awaited<ReturnType<typeof freshDb>>;
beforeAll(async () => {
	ctx = await freshDb();
});
afterAll(() => ctx.close());

describe('cluster layout check', () => {
	it('refuses to treat a single-node database as a cluster one, and changes nothing', async () => {
		await expect(migrate({ ...ctx.db, cluster: 'tm' })).rejects.toThrow(/created on a single node/);
		const local = await rows<{ n: string }>(
			ctx.db,
			"SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name LIKE '%\\_local'"
		);
		expect(Number(local[0]!.n)).toBe(0);
		expect(await migrate(ctx.db)).toEqual([]);
	});
});
