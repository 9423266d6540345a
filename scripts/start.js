#!/usr/bin/env node
// Why this exists: `npm start` on a fresh clone must just work. Build the app when there is no
// build or the sources are newer than it, then serve it (migrations and demo data load at start-up)
// under a supervisor that starts it again if it crashes. TOUCHMAP_SUPERVISE=0 serves it in this
// process instead, for a service manager that restarts it itself (docs/security.md).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd();
const marker = join(root, 'build', 'index.js');

function newest(dir) {
	let t = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const p = join(dir, entry.name);
		if (entry.isDirectory()) {
			if (entry.name !== 'node_modules' && entry.name !== 'paraglide') t = Math.max(t, newest(p));
		} else t = Math.max(t, statSync(p).mtimeMs);
	}
	return t;
}

const sources = ['src', 'schemas', 'db', 'ingest', 'static'].filter((d) => existsSync(join(root, d)));
const stale =
	!existsSync(marker) ||
	Math.max(...sources.map((d) => newest(join(root, d))), statSync(join(root, 'package.json')).mtimeMs) >
		statSync(marker).mtimeMs;
if (stale) {
	console.log('touchmap: building the dashboard (first start or changed sources)…');
	execFileSync(
		process.execPath,
		[join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error'],
		{
			stdio: 'inherit'
		}
	);
}
process.env.PORT ??= '3000';
console.log(`touchmap: starting on http://localhost:${process.env.PORT}`);
if (process.env.TOUCHMAP_SUPERVISE === '0') await import(marker);
else {
	const { supervise } = await import('./supervise.js');
	process.exitCode = await supervise(marker);
}
