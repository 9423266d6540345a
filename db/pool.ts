/**
 * Why this exists: one chdb connection runs one query at a time, and the binding runs queries with
 * bound values one at a time across the whole process. Several native connections to the same data
 * directory (one engine, one copy of the data) do run queries in parallel — when the values are
 * written into the SQL. So the embedded client gets this pool: each call goes to the connection
 * with the fewest calls in flight, its `{name:Type}` values written as typed literals (literal.ts).
 * A second process cannot share the directory (the engine locks it), so this is the way to
 * parallel queries on the embedded engine (docs/decisions/embedded-parallel-queries.md).
 */
import type { ClickHouseClientConfigOptions } from '@clickhouse/client';
import { writeParams } from './literal';

type Connection = NonNullable<ClickHouseClientConfigOptions['connection']>;
/** The parts of a chdb connection used here (chdb/connection's ChdbConnection). */
interface Native {
	query(p: Params): Promise<unknown>;
	exec(p: Params): Promise<unknown>;
	command(p: Params): Promise<unknown>;
	insert(p: Params): Promise<unknown>;
	ping(p: unknown): Promise<{ success: boolean }>;
	close(): Promise<void>;
	chdb?: { rawInsert(p: object): Promise<unknown> };
}
interface Params {
	query: string;
	query_params?: Record<string, unknown>;
	[k: string]: unknown;
}

/** `params` with its bound values written into the query, so chdb runs it unchained. */
export function unbound<P extends Params>(params: P): P {
	const qp = params.query_params;
	if (!qp || Object.keys(qp).length === 0) return params;
	return { ...params, query: writeParams(params.query, qp), query_params: undefined };
}

export class ChdbPool {
	private readonly busy: number[];

	constructor(private readonly natives: Native[]) {
		if (natives.length === 0) throw new Error('ChdbPool needs at least one connection');
		this.busy = natives.map(() => 0);
	}

	/** Calls in flight per connection (for tests and metrics). */
	load(): number[] {
		return [...this.busy];
	}

	/** Runs `f` on the connection with the fewest calls in flight (the first such, so idle → 0). */
	async use<T>(f: (c: Native) => Promise<T>): Promise<T> {
		let at = 0;
		for (let i = 1; i < this.busy.length; i++) if (this.busy[i]! < this.busy[at]!) at = i;
		this.busy[at]!++;
		try {
			return await f(this.natives[at]!);
		} finally {
			this.busy[at]!--;
		}
	}

	/** Runs a statement on every connection: session state such as `USE db`. */
	async broadcast(query: string): Promise<void> {
		for (const c of this.natives) await c.command({ query });
	}

	/** chdb's raw insert, when the binding has it. */
	get rawInsert(): ((p: object) => Promise<unknown>) | undefined {
		if (!this.natives[0]!.chdb) return undefined;
		return (p) => this.use((c) => c.chdb!.rawInsert(p));
	}

	/** The pool as one `@clickhouse/client` connection. */
	connection(): Connection {
		const conn = {
			query: (p: Params) => this.use((c) => c.query(unbound(p))),
			exec: (p: Params) => this.use((c) => c.exec(unbound(p))),
			command: (p: Params) => this.use((c) => c.command(unbound(p))),
			insert: (p: Params) => this.use((c) => c.insert(p)),
			ping: (p: unknown) => this.use((c) => c.ping(p)),
			close: async () => {
				for (const c of this.natives) await c.close();
			}
		};
		// TRICKY: the Connection type is @clickhouse/client-common's, which @clickhouse/client inlines
		// as its own (structurally identical) types; the runtime contract is what matters here.
		return conn as unknown as Connection;
	}
}
