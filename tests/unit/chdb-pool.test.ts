import { describe, expect, it } from 'vitest';
import { ChdbPool } from '../../db/pool';

type Call = { conn: number; query: string };

/** Fake native connections: each call is held until released, and no connection is shared. */
function natives(n: number) {
	const calls: Call[] = [];
	const held: (() => void)[] = [];
	const inFlight = Array.from({ length: n }, () => 0);
	const make = (conn: number) => {
		const run = async (p: { query: string }) => {
			inFlight[conn]!++;
			expect(inFlight[conn]).toBe(1);
			calls.push({ conn, query: p.query });
			await new Promise<void>((r) => held.push(r));
			inFlight[conn]!--;
			return p.query;
		};
		return {
			query: run,
			exec: run,
			command: run,
			insert: run,
			ping: async () => ({ success: true }),
			close: async () => {}
		};
	};
	return { list: Array.from({ length: n }, (_, i) => make(i)), calls, held };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('ChdbPool', () => {
	it('runs one call per connection, queues the rest in order, and writes bound values in', async () => {
		const f = natives(2);
		const pool = new ChdbPool(f.list);
		const conn = pool.connection() as unknown as { query(p: object): Promise<string> };
		const answers = [
			conn.query({ query: 'SELECT {a:String}', query_params: { a: "it's" } }),
			conn.query({ query: 'SELECT 2' }),
			conn.query({ query: 'SELECT 3' }),
			conn.query({ query: 'SELECT {n:UInt8}', query_params: { n: 4 } })
		];
		await tick();
		expect(pool.state()).toEqual({ busy: 2, waiting: 2 });
		expect(f.calls.map((c) => c.query)).toEqual(["SELECT 'it\\'s'", 'SELECT 2']);
		while (f.held.length) {
			f.held.shift()!();
			await tick();
			await tick();
		}
		expect(await Promise.all(answers)).toEqual(["SELECT 'it\\'s'", 'SELECT 2', 'SELECT 3', "SELECT _CAST(4, 'UInt8')"]);
		expect(pool.state()).toEqual({ busy: 0, waiting: 0 });
	});

	it('refuses a value its type cannot hold without taking a connection', async () => {
		const f = natives(1);
		const pool = new ChdbPool(f.list);
		const conn = pool.connection() as unknown as { query(p: object): Promise<string> };
		await expect(conn.query({ query: 'SELECT {n:UInt8}', query_params: { n: -1 } })).rejects.toThrow(/out of range/);
		expect(f.calls).toEqual([]);
		expect(pool.state()).toEqual({ busy: 0, waiting: 0 });
	});
});
