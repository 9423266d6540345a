/**
 * Why this exists: the admin API of the ingest service (/admin/sources): sources with state, lag,
 * counts and last error; pause / resume / run now; the quarantine browser and "re-process after
 * fixing the mapping"; why a record belongs to a customer (identity resolution).
 */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { explain, ingestHost, loadMapping, readStatus, reprocessQuarantine, resetCursor, writeStatus } from '$ingest';
import { listQuarantine, listRuns, listSources, QuarantineFilterSchema } from '../../queries/sources/sources';
import { auditedMutation, authorisedProcedure, router } from '../init';

const Name = z.object({ source: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a source name') });

export const sourcesRouter = router({
	list: authorisedProcedure.query(({ ctx }) => listSources(ctx.db, ingestHost()?.sources ?? [])),
	quarantine: authorisedProcedure
		.input(QuarantineFilterSchema)
		.query(({ ctx, input }) => listQuarantine(ctx.db.client, input)),
	runs: authorisedProcedure.input(Name).query(({ ctx, input }) => listRuns(ctx.db.client, input.source)),
	explain: authorisedProcedure
		.input(z.object({ source: z.string().max(64), sourceId: z.string().min(1).max(256) }))
		.query(({ ctx, input }) => explain(ctx.db, input.source, input.sourceId)),
	pause: auditedMutation.input(Name).mutation(async ({ ctx, input }) => {
		const host = ingestHost();
		if (host?.get(input.source)) await host.pause(input.source);
		else {
			const s = await readStatus(ctx.db, input.source);
			await writeStatus(ctx.db, { ...s, paused: true, state: 'paused' });
		}
		return { ok: true };
	}),
	resume: auditedMutation.input(Name).mutation(async ({ ctx, input }) => {
		const host = ingestHost();
		if (host?.get(input.source)) await host.resume(input.source);
		else {
			const s = await readStatus(ctx.db, input.source);
			await writeStatus(ctx.db, { ...s, paused: false, failures: 0, state: 'idle' });
		}
		return { ok: true };
	}),
	runNow: auditedMutation.input(Name).mutation(async ({ input }) => {
		const host = ingestHost();
		if (!host?.get(input.source))
			throw new TRPCError({ code: 'NOT_FOUND', message: `${input.source} is not a configured source` });
		// Started, not awaited: a long pull must not hold the request; the page polls the status.
		void host.runNow(input.source, { force: true }).catch(() => undefined);
		return { started: true };
	}),
	/** Forget a source's cursor (e.g. an expired Salesforce nextRecordsUrl): the next run starts over, duplicates skipped. */
	resetCursor: auditedMutation.input(Name).mutation(async ({ ctx, input }) => {
		await resetCursor(ctx.db, input.source);
		return { ok: true };
	}),
	reprocess: auditedMutation.input(Name).mutation(async ({ ctx, input }) => {
		const src = ingestHost()?.get(input.source);
		if (!src)
			throw new TRPCError({
				code: 'NOT_FOUND',
				message: `${input.source} is not a configured source, so its mapping is unknown`
			});
		let mapping;
		try {
			mapping = { ...loadMapping(src.mappingPath), name: src.name };
		} catch (err) {
			throw new TRPCError({ code: 'BAD_REQUEST', message: (err as Error).message });
		}
		return reprocessQuarantine(ctx.db, mapping);
	})
});
