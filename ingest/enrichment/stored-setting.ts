/**
 * Why this exists: ingest reads documents people edit (journey rules, custom intents) from the
 * `settings` table; a stored document that does not validate, or a table that cannot be read, must
 * not stop ingest, so it falls back to a default with a warning.
 */
import type { z } from 'zod';
import type { EnrichContext } from './types';

export async function readStoredSetting<S extends z.ZodType>(
	ctx: Pick<EnrichContext, 'db'>,
	key: string,
	schema: S,
	fallback: z.infer<S>,
	what: string
): Promise<z.infer<S>> {
	try {
		const rs = await ctx.db.client.query({
			query: 'SELECT argMax(value, updated_at) AS value FROM settings WHERE key = {key:String} HAVING count() > 0',
			query_params: { key },
			format: 'JSONEachRow'
		});
		const [row] = await rs.json<{ value: string }>();
		if (!row) return fallback;
		const parsed = schema.safeParse(JSON.parse(row.value));
		if (parsed.success) return parsed.data;
		console.warn(`settings ${key} is invalid; using ${what}`);
	} catch (err) {
		console.warn(`settings ${key} could not be read (${(err as Error).message}); using ${what}`);
	}
	return fallback;
}
