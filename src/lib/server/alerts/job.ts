/**
 * Why this exists: alerts run in the background of the process that owns the database, never on a
 * request — a minute tick sends what is due (new, held past quiet hours, retries after backoff);
 * rules are evaluated every TOUCHMAP_ALERTS_MINUTES and shortly after an ingest run stores records;
 * the executive digest is queued once a week. One pass at a time; a pass that throws is logged and
 * the next tick tries again.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { onIngested } from '$ingest';
import { readDisplay } from '../queries/settings/read';
import { alertsConfig } from './config';
import { deliverDue, evaluate, queueDigest } from './run';

let timer: NodeJS.Timeout | undefined;
let stopListening: (() => void) | undefined;
let busy: Promise<void> | null = null;
let evaluateSoon = false;

/**
 * Serialises passes: evaluation and delivery never overlap (a slow SMTP server delays only alerts).
 * The admin page's "run now" buttons go through here too, so their answer never waits on a rule.
 */
export function pass(fn: () => Promise<void>): Promise<void> {
	const p = (busy ?? Promise.resolve())
		.then(fn)
		.catch((err) => console.error(`touchmap: alerts: ${(err as Error).message}`));
	busy = p;
	return p;
}

function localDayHour(now: number, timeZone: string): { day: number; hour: number } {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		weekday: 'short',
		hour: '2-digit',
		hourCycle: 'h23'
	}).formatToParts(new Date(now));
	const wd = parts.find((p) => p.type === 'weekday')?.value ?? 'Sun';
	return {
		day: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(wd),
		hour: Number(parts.find((p) => p.type === 'hour')?.value ?? 0)
	};
}

export function startAlertsJob(client: ClickHouseClient): void {
	if (timer) return;
	const config = alertsConfig();
	let lastEvaluation = 0;
	const tick = () =>
		pass(async () => {
			const now = Date.now();
			const every = config.TOUCHMAP_ALERTS_MINUTES * 60_000;
			if (evaluateSoon || (every > 0 && now - lastEvaluation >= every)) {
				evaluateSoon = false;
				lastEvaluation = now;
				const s = await evaluate(client, { now });
				if (s.queued || s.errors.length)
					console.log(
						`touchmap: alerts: ${s.alerts} raised, ${s.deduplicated} already sent, ${s.queued} queued (${s.held} held)` +
							s.errors.map((e) => `; rule ${e.ruleId}: ${e.message}`).join('')
					);
			}
			const { timeZone } = await readDisplay(client);
			const local = localDayHour(now, timeZone);
			// Queued at most once per data week (deduplicated), so ticks within the hour add nothing.
			if (local.day === config.TOUCHMAP_DIGEST_DAY && local.hour === config.TOUCHMAP_DIGEST_HOUR)
				await queueDigest(client, { now });
			await deliverDue(client, { now, config });
		});
	timer = setInterval(() => void tick(), 60_000);
	timer.unref();
	stopListening = onIngested(() => {
		evaluateSoon = true;
	});
	// The first evaluation waits for the first tick: start-up has enough to do.
	lastEvaluation = Date.now();
}

export async function stopAlertsJob(): Promise<void> {
	if (timer) clearInterval(timer);
	timer = undefined;
	stopListening?.();
	await busy;
}
