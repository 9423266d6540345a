/**
 * Why this exists: a liveness/readiness probe that proves the database answers, and says whether
 * the trends page's forecasts for the latest data are fitted yet (`forecasts`: see trends/warm.ts).
 */
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { openDb } from '$db/open';
import { forecastWarmState } from '$lib/server/queries/trends/warm';

export const GET: RequestHandler = async () => {
	try {
		const db = await openDb();
		const rs = await db.client.query({ query: 'SELECT count() AS n FROM interactions', format: 'JSONEachRow' });
		const [row] = await rs.json<{ n: number | string }>();
		return json({
			status: 'ok',
			clickhouse: db.kind,
			interactions: Number(row?.n ?? 0),
			forecasts: forecastWarmState()
		});
	} catch (err) {
		console.error('healthz:', err);
		return json({ status: 'error', message: 'database unavailable' }, { status: 503 });
	}
};
