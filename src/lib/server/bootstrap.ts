/**
 * Why this exists: what the server does before it answers its first request — open the database,
 * apply migrations, and load the demo data set into an empty database (unless TOUCHMAP_DEMO=0);
 * then, in the background, warm the customer views and the trends page's forecasts.
 */
import { join } from 'node:path';
import { loadDemoIfEmpty, sourcesFile, startIngestHost } from '$ingest';
import { dataDir, env } from '$db/env';
import { openDb } from '$db/open';
import { ensurePortrait } from './queries/customers/portrait';
import { warmCustomerViews } from './queries/customers/warm';
import { warmForecasts } from './queries/trends/warm';
import { startAlertsJob } from './alerts/job';

export async function bootstrap(): Promise<void> {
	const e = env();
	const db = await openDb();
	console.log(`touchmap: ClickHouse ${db.kind}${db.kind === 'embedded' ? ` at ${dataDir(e)}` : ''}, schema up to date`);
	if (e.TOUCHMAP_DEMO) {
		await loadDemoIfEmpty(db, {
			customers: e.TOUCHMAP_DEMO_CUSTOMERS,
			seed: e.TOUCHMAP_DEMO_SEED,
			sourceDir: join(dataDir(e), 'demo-source'),
			removeSources: true,
			log: (line) => console.log(`touchmap: ${line}`)
		});
	}
	// The customer portraits for the data as loaded, before the first request (after an upgrade or an
	// ingest by another process this is their backfill).
	const t0 = Date.now();
	const portrait = await ensurePortrait(db.client).catch((err: Error) => {
		console.error(`touchmap: customer portraits: ${err.message}`);
		return null;
	});
	if (portrait?.asOf) console.log(`touchmap: customer portraits as of ${portrait.asOf} (${Date.now() - t0} ms)`);
	// Churn scores and the customer pages' default views for the data as loaded (in the background;
	// readers also refresh when the data changed).
	const views = warmCustomerViews(db.client).catch((err) =>
		console.error(`touchmap: customer views: ${(err as Error).message}`)
	);
	// Then the trends page's weekly forecasts: one background warm at a time, so each leaves a core free.
	void warmForecasts(db.client, { after: views });
	// Alert rules and deliveries run in the background of the process that owns the database.
	startAlertsJob(db.client);
	// With a sources file, this process (which owns the database) also hosts the ingest service.
	const sources = sourcesFile();
	if (sources) {
		const scheduler = startIngestHost(db);
		console.log(`touchmap: ingest service: ${scheduler.sources.length} sources from ${sources}`);
	}
}
