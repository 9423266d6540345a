import { openDb } from '../src/lib/server/db/open';
import { closeDb } from '../src/lib/server/db/client';
import { ingestFile, loadMapping } from '../ingest/pipeline';
const db = await openDb();
for (const n of ['customers.ndjson', 'calls.csv', 'calls.csv']) {
	const m = loadMapping(`tests/fixtures/${n.split('.')[0]}.mapping.json`);
	console.log(await ingestFile({ db, file: `tests/fixtures/${n}`, mapping: m }));
}
for (const q of ['SELECT interaction_id, customer_id, ts, stage, touchpoint, segment, region, fcr, handle_s, csat_10 FROM interactions ORDER BY ts', 'SELECT line, reason FROM quarantine', 'SELECT * FROM kpi_daily FINAL', 'SELECT source,status,accepted,rejected,duplicates FROM ingest_runs FINAL']) {
	console.log(await (await db.client.query({ query: q, format: 'JSONEachRow' })).json());
}
await closeDb();
