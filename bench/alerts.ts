/**
 * Why this exists: the alert rules run in the background after every ingest and on a schedule, so
 * their cost at a scale is part of what `npm run bench` reports: one evaluation of a rule of each
 * kind (`npm run alerts -- --defaults --dry-run`) on the bench data, timed end to end. A dry run
 * queues and sends nothing; `--defaults` stores the default rules once when the data has none.
 */
import { runChild } from '../scripts/run-child';

export interface AlertsFigure {
	rules: number;
	alerts: number;
	errors: number;
	seconds: number;
}

/** One dry-run evaluation in its own process (the embedded database is opened by one process). */
export function runAlertsBench(dataDir: string): AlertsFigure {
	const t0 = Date.now();
	const out = runChild(
		{ ...process.env, TOUCHMAP_DATA_DIR: dataDir },
		['scripts/alerts.ts', '--defaults', '--dry-run', '--json'],
		true
	);
	const seconds = (Date.now() - t0) / 1000;
	const s = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { rules: number; alerts: number; errors: unknown[] };
	return { rules: s.rules, alerts: s.alerts, errors: s.errors.length, seconds };
}

export function printAlertsFigure(f: AlertsFigure): void {
	console.log(
		`\nalert rules: ${f.rules} evaluated (dry run, process start included) in ${f.seconds.toFixed(1)} s; ${f.alerts} would fire, ${f.errors} failed`
	);
}
