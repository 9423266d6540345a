/**
 * Why this exists: one chdb connection runs one query at a time, and the binding runs queries with
 * bound values one at a time across the whole process. Several native connections to the same data
 * directory (one engine, one copy of the data) do run queries in parallel — when the values are
 * written into the SQL. So the embedded client gets this pool: each call takes an idle connection
 * (or waits for one), its `{name:Type}` values written as typed literals (literal.ts).
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
	private readonly idle: Native[];
	private readonly waiting: ((c: Native) => void)[] = [];

	constructor(private readonly natives: Native[]) {
		if (natives.length === 0) throw new Error('ChdbPool needs at least one connection');
		this.idle = [...natives];
	}

	/** Connections busy and calls waiting for one (for tests and metrics). */
	state(): { busy: number; waiting: number } {
		return { busy: this.natives.length - this.idle.length, waiting: this.waiting.length };
	}

	/**
	 * Runs `f` on an idle connection, or waits for one in arrival order. TRICKY: never two calls on
	 * one connection at once — chdb runs a settings prefix and the query as one multi-statement on
	 * the connection's session, and two interleaved there answered a query with an empty result.
	 */
	async use<T>(f: (c: Native) => Promise<T>): Promise<T> {
		const c = this.idle.pop() ?? (await new Promise<Native>((take) => this.waiting.push(take)));
		try {
			return await f(c);
		} finally {
			const next = this.waiting.shift();
			if (next) next(c);
			else this.idle.push(c);
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
		// Values are written before a connection is taken: a refused value never holds one.
		const conn = {
			query: async (p: Params) => {
				const q = unbound(p);
				return this.use((c) => c.query(q));
			},
			exec: async (p: Params) => {
				const q = unbound(p);
				return this.use((c) => c.exec(q));
			},
			command: async (p: Params) => {
				const q = unbound(p);
				return this.use((c) => c.command(q));
			},
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
