/**
 * Why this exists: puts the demo data set into an empty database through the normal ingest path —
 * generate source files (CRM, call center, social) and ingest each with its declarative mapping,
 * exactly as a customer's exports would be. Idempotent: a start-up interrupted half-way simply
 * loads again and the loader skips what is already stored.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { REFERENCE_ROI, RoiAssumptionsSchema } from '../../schemas/roi';
import { generateDemo } from './generate';
import { DEMO_SOURCES } from './manifest';
import { ingestFile, type IngestSummary } from '../loading/ingest-file';
import { loadMapping } from '../mapping/mapping-file';

const DemoStateSchema = z.object({
	status: z.enum(['loading', 'loaded']),
	customers: z.number(),
	seed: z.number()
});

async function demoState(db: Db) {
	const rs = await db.client.query({
		query: "SELECT argMax(value, updated_at) AS value FROM settings WHERE key = 'demo' HAVING count() > 0",
		format: 'JSONEachRow'
	});
	const [row] = await rs.json<{ value: string }>();
	const parsed = row ? DemoStateSchema.safeParse(JSON.parse(row.value)) : undefined;
	return parsed?.success ? parsed.data : undefined;
}

async function setDemoState(db: Db, value: z.infer<typeof DemoStateSchema>) {
	await db.client.insert({
		table: 'settings',
		values: [{ key: 'demo', value: JSON.stringify(value), updated_at: Date.now() }],
		format: 'JSONEachRow'
	});
}

export async function interactionCount(db: Db): Promise<number> {
	const rs = await db.client.query({ query: 'SELECT count() AS n FROM interactions', format: 'JSONEachRow' });
	return Number((await rs.json<{ n: number | string }>())[0]?.n ?? 0);
}

export interface DemoLoadOptions {
	customers: number;
	seed: number;
	/** Where the generated source files go. */
	sourceDir: string;
	log?: (line: string) => void;
	/** Delete the generated source files once loaded (keeps ground-truth.json). */
	removeSources?: boolean;
}

/** Loads the demo when the database has no interactions (or a previous load did not finish). */
export async function loadDemoIfEmpty(db: Db, opts: DemoLoadOptions): Promise<IngestSummary[] | undefined> {
	const state = await demoState(db);
	if (state?.status === 'loaded') return undefined;
	if (state?.status !== 'loading' && (await interactionCount(db)) > 0) return undefined;
	return loadDemo(db, opts);
}

export async function loadDemo(db: Db, opts: DemoLoadOptions): Promise<IngestSummary[]> {
	const log = opts.log ?? (() => undefined);
	const started = Date.now();
	await setDemoState(db, { status: 'loading', customers: opts.customers, seed: opts.seed });
	const truth = join(opts.sourceDir, 'ground-truth.json');
	const reuse =
		existsSync(truth) &&
		DEMO_SOURCES.every((s) => existsSync(join(opts.sourceDir, s.file))) &&
		(() => {
			const t = JSON.parse(readFileSync(truth, 'utf8')) as { customers?: number; seed?: number };
			return t.customers === opts.customers && t.seed === opts.seed;
		})();
	if (!reuse) {
		log(`demo: generating ${opts.customers} customers (seed ${opts.seed}) into ${opts.sourceDir}`);
		const gen = await generateDemo({ customers: opts.customers, seed: opts.seed, outDir: opts.sourceDir });
		log(`demo: generated ${gen.interactions} interactions in ${gen.seconds.toFixed(1)} s`);
	}
	const summaries: IngestSummary[] = [];
	for (const source of DEMO_SOURCES) {
		const s = await ingestFile({
			db,
			file: join(opts.sourceDir, source.file),
			mapping: loadMapping(resolve(process.env.TOUCHMAP_ROOT ?? process.cwd(), source.mapping))
		});
		log(
			`demo: ${source.file}: ${s.accepted} accepted, ${s.rejected} rejected, ${s.duplicates} duplicates (${s.seconds.toFixed(1)} s)`
		);
		summaries.push(s);
	}
	await setDemoState(db, { status: 'loaded', customers: opts.customers, seed: opts.seed });
	// The demo is the reference case's data: its ROI assumptions come with it (any other data starts
	// from neutral defaults). An assumption someone already stored is kept.
	const roi = await db.client.query({
		query: "SELECT count() AS n FROM settings WHERE key = 'roi'",
		format: 'JSONEachRow'
	});
	if (!Number((await roi.json<{ n: number | string }>())[0]?.n ?? 0))
		await db.client.insert({
			table: 'settings',
			values: [
				{ key: 'roi', value: JSON.stringify(RoiAssumptionsSchema.parse(REFERENCE_ROI)), updated_at: Date.now() }
			],
			format: 'JSONEachRow'
		});
	if (opts.removeSources) {
		// The source files (hundreds of MB at the default size) can be regenerated from the seed; the
		// ground truth stays for tests and for checking what the product finds.
		for (const source of DEMO_SOURCES) rmSync(join(opts.sourceDir, source.file), { force: true });
	}
	log(`demo: loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return summaries;
}
