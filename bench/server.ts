/**
 * Why this exists: the benches time the built server as deployed, on the data they made; this
 * starts it the one way they all do.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A free port on 127.0.0.1. */
const freePort = () =>
	new Promise<number>((ok) => {
		const s = createServer().listen(0, '127.0.0.1', () => {
			const p = (s.address() as { port: number }).port;
			s.close(() => ok(p));
		});
	});

/**
 * The built server (build/index.js) on an embedded database directory, keeping answers of repeated
 * questions (as deployed) or not (every answer computed). Killed when this process exits.
 */
export async function spawnServer(
	dataDir: string,
	keepAnswers: boolean
): Promise<{ proc: ChildProcess; base: string }> {
	const port = await freePort();
	const proc = spawn(process.execPath, ['build/index.js'], {
		// Sign-in off and no rate limit: the benches measure queries, not sessions or throttling.
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			TOUCHMAP_DATA_DIR: dataDir,
			TOUCHMAP_DEMO: '0',
			TOUCHMAP_AUTH: 'off',
			TOUCHMAP_API_RATE: '100000',
			// The load test's users are told apart by address (bench/load.ts).
			ADDRESS_HEADER: 'x-forwarded-for',
			TOUCHMAP_ANSWER_CACHE: keepAnswers ? '1' : '0'
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	// Never leave the server behind, whatever fails after.
	process.once('exit', () => {
		if (proc.exitCode === null) proc.kill('SIGKILL');
	});
	return { proc, base: `http://127.0.0.1:${port}` };
}
