// Why this exists: one crashed request must not leave Touchmap down until someone notices.
// `npm start` runs the server as a child process and starts it again when it dies — at once the
// first time, then waiting longer (up to 30 s) while it keeps dying within a minute of starting.
// SIGINT / SIGTERM are passed on, and the supervisor exits with the server when it was asked to stop.
import { spawn } from 'node:child_process';

/**
 * Runs `node <entry>` and restarts it whenever it exits without being asked to.
 * @param {string} entry the script to run
 * @param {{ env?: NodeJS.ProcessEnv, log?: (line: string) => void, maxRestarts?: number, stableMs?: number, maxDelayMs?: number }} [opts]
 * @returns {Promise<number>} the exit code once it was stopped (or gave up after maxRestarts)
 */
export function supervise(entry, opts = {}) {
	const log = opts.log ?? ((line) => console.error(line));
	const stableMs = opts.stableMs ?? 60_000;
	const maxDelayMs = opts.maxDelayMs ?? 30_000;
	const maxRestarts = opts.maxRestarts ?? Infinity;
	let stopping = false;
	/** @type {import('node:child_process').ChildProcess | undefined} */
	let child;
	let restarts = 0;
	let quickFailures = 0;
	/** @param {NodeJS.Signals} signal */
	const stop = (signal) => {
		stopping = true;
		child?.kill(signal);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	return new Promise((resolve) => {
		const start = () => {
			const started = Date.now();
			child = spawn(process.execPath, [entry], { stdio: 'inherit', env: opts.env ?? process.env });
			child.on('exit', (code, signal) => {
				if (stopping || restarts >= maxRestarts) {
					process.off('SIGINT', stop);
					process.off('SIGTERM', stop);
					return resolve(code ?? (signal ? 1 : 0));
				}
				quickFailures = Date.now() - started < stableMs ? quickFailures + 1 : 0;
				const delay = quickFailures <= 1 ? 0 : Math.min(maxDelayMs, 1000 * 2 ** (quickFailures - 2));
				restarts++;
				log(`touchmap: the server stopped (${signal ?? `exit code ${code}`}); starting it again in ${delay / 1000} s`);
				setTimeout(start, delay);
			});
		};
		start();
	});
}
