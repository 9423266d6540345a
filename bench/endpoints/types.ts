/**
 * Why this exists: the shape of a bench endpoint file. `run.ts` calls `endpoints(ctx)` of every
 * file in this folder and measures each returned tRPC query with inputs made from the request index.
 */
export interface BenchContext {
	/** Base URL of the running server, e.g. for looking up ids to ask about. */
	base: string;
	/** Data range of the loaded interactions (YYYY-MM-DD). */
	min: string;
	max: string;
	/** A varied KPI-style filter for request i: 30/90/365 days or the whole range, some channel sets. */
	filter: (i: number) => { from: string; to: string; channels?: string[] };
	/** GET a tRPC query and return its `result.data` (to pick ids for detail endpoints). */
	query: <T>(name: string, input?: unknown) => Promise<T>;
}

/** tRPC query name → input for request i (undefined for procedures without input). */
export type BenchEndpoints = (
	ctx: BenchContext
) => Record<string, (i: number) => unknown> | Promise<Record<string, (i: number) => unknown>>;
