/**
 * Why this exists: contact reasons follow the data without anyone running a command. The ingest
 * service discovers them a minute after it starts when none exist yet and enough texts are stored,
 * and again every TOUCHMAP_REASONS_HOURS (re-discovery keeps ids and a user's edits). Discovery
 * runs with no source running (it rewrites stored months); a failed run leaves the previous
 * reasons in force and is logged.
 */
import type { Db } from '../../db/client';
import { env } from '../../db/env';
import { discoverStored } from '../enrichment/reasons/discover-stored';
import { readReasonModel } from '../enrichment/reasons/store';

/** Fewer stored texts than this say too little to discover reasons from. */
export const MIN_TEXTS = 200;
const FIRST_CHECK_MS = 60_000;

async function storedTexts(db: Db): Promise<number> {
	const rs = await db.client.query({
		query: "SELECT count() AS n FROM interactions WHERE text != ''",
		format: 'JSONEachRow'
	});
	return Number((await rs.json<{ n: string }>())[0]?.n ?? 0);
}

export function scheduleReasonDiscovery(
	db: Db,
	exclusive: <T>(fn: () => Promise<T>) => Promise<T>,
	log: (line: string) => void
): { stop(): void } {
	const hours = env().TOUCHMAP_REASONS_HOURS;
	if (!hours) return { stop() {} };
	let timer: NodeJS.Timeout | undefined;
	let stopped = false;
	const tick = async (first: boolean) => {
		try {
			if (first && (await readReasonModel(db))) return;
			if ((await storedTexts(db)) < MIN_TEXTS) return;
			const s = await exclusive(() => discoverStored(db));
			log(`reasons: ${s.reasons} reasons from ${s.texts} texts; ${s.assigned.changed} interactions reassigned`);
		} catch (err) {
			log(`reasons: discovery failed, the previous reasons stay in force: ${(err as Error).message}`);
		}
	};
	const next = (ms: number, first: boolean) => {
		if (stopped) return;
		timer = setTimeout(async () => {
			await tick(first);
			next(hours * 3_600_000, false);
		}, ms);
		timer.unref?.();
	};
	next(FIRST_CHECK_MS, true);
	return {
		stop() {
			stopped = true;
			clearTimeout(timer);
		}
	};
}
