/**
 * Why this exists: the browser tests and the bench run the real built server (`build/index.js`),
 * which must be rebuilt whenever any source it bundles is newer than it — a file deep in a folder
 * changes that folder's files, not the folder's own time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir: string): number {
	let t = 0;
	for (const e of readdirSync(dir, { withFileTypes: true })) {
		const p = join(dir, e.name);
		t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
	}
	return t;
}

/** Builds the app when there is no build or a source is newer than it. */
export function ensureBuild(): void {
	const built = existsSync('build/index.js') ? statSync('build/index.js').mtimeMs : 0;
	const sources = Math.max(...['src', 'schemas', 'db', 'ingest'].map(newest));
	if (sources > built)
		execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'], {
			stdio: 'inherit'
		});
}
