/**
 * Loads the demo into TOUCHMAP_DATA_DIR in a process of its own, for browser tests that start the
 * app on data loaded beforehand (so a loaded machine's slow demo load does not count against the
 * app's start-up deadline).  tsx tests/helpers/load-demo.ts CUSTOMERS SOURCE_DIR
 */
import { closeDb } from '../../db/client';
import { openDb } from '../../db/open';
import { loadDemoIfEmpty } from '../../ingest/demo/load';

const db = await openDb();
try {
	await loadDemoIfEmpty(db, { customers: Number(process.argv[2]), seed: 42, sourceDir: process.argv[3]! });
} finally {
	await closeDb();
}
