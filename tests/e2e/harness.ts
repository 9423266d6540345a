/**
 * Why this exists: browser tests run against the real built app — `node build/index.js` on a
 * fresh embedded database loaded with a small demo through the normal start-up path — driven by
 * Debian's Chromium through playwright-core (no browser downloads).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../../scripts/chromium';
import { ensureBuild } from '../../scripts/ensure-build';

export const SCREENSHOTS = 'test-results/e2e';

async function freePort(): Promise<number> {
	return new Promise((ok) => {
		const s = createServer().listen(0, '127.0.0.1', () => {
			const { port } = s.address() as { port: number };
			s.close(() => ok(port));
		});
	});
}

export interface App {
	url: string;
	browser: Browser;
	stop(): Promise<void>;
}

export const ADMIN = { email: 'admin@touchmap.local', password: 'e2e-admin-password' };

/** Signs in through the API; the session cookie (`touchmap_session=…`) to send with later calls. */
export async function signInApi(app: App, address: string, password: string): Promise<string> {
	const res = await fetch(`${app.url}/api/trpc/auth.signIn`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email: address, password })
	});
	if (res.status !== 200) throw new Error(`sign in ${address}: ${res.status} ${await res.text()}`);
	return /touchmap_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
}

/**
 * Starts the built app on a fresh database. Sign-in is off (TOUCHMAP_AUTH=off) unless `auth` is
 * set, so page tests need not sign in; the access-control tests turn it on and sign in as ADMIN.
 */
export async function startApp(
	opts: {
		customers?: number;
		auth?: boolean;
		env?: Record<string, string>;
		/** A database directory loaded beforehand (taken over, and removed at stop). */
		dataDir?: string;
		/** Ready when /healthz says so; by default once it counts interactions. */
		ready?: (health: { interactions: number }) => boolean;
	} = {}
): Promise<App> {
	if (!existsSync(CHROMIUM))
		throw new Error(`Browser tests need Debian's Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
	ensureBuild();
	mkdirSync(SCREENSHOTS, { recursive: true });
	const dir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'touchmap-e2e-'));
	const port = await freePort();
	const server: ChildProcess = spawn(process.execPath, ['build/index.js'], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			TOUCHMAP_DATA_DIR: dir,
			TOUCHMAP_DEMO_CUSTOMERS: String(opts.customers ?? 400),
			TOUCHMAP_AUTH: opts.auth ? 'on' : 'off',
			TOUCHMAP_ADMIN_PASSWORD: ADMIN.password,
			TOUCHMAP_API_RATE: '100000',
			// Scheduled reason discovery rewrites stored months; tests that want reasons ask for them.
			TOUCHMAP_REASONS_HOURS: '0',
			...opts.env
		},
		stdio: ['ignore', 'ignore', 'pipe']
	});
	let stderr = '';
	server.stderr?.on('data', (b) => (stderr += b));
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 120_000;
	for (;;) {
		const health = await fetch(`${url}/healthz`)
			.then((r) => r.json() as Promise<{ status: string; interactions: number }>)
			.catch(() => undefined);
		if (health?.status === 'ok' && (opts.ready ? opts.ready(health) : health.interactions > 0)) break;
		if (server.exitCode !== null || Date.now() > deadline) throw new Error(`the app did not start: ${stderr}`);
		await new Promise((r) => setTimeout(r, 250));
	}
	const browser = await launchChromium();
	return {
		url,
		browser,
		async stop() {
			await browser.close();
			server.kill();
			await new Promise((r) => server.once('exit', r));
			rmSync(dir, { recursive: true, force: true });
		}
	};
}
