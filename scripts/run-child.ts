/**
 * Why this exists: evaluations load each data set into its own embedded database, and the engine
 * opens one directory per process, so they run the CLI and their own measuring step as child
 * processes — under tsx, or vite-node where the code imports query modules (SQL as `?raw`).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = process.cwd();

export function runChild(env: NodeJS.ProcessEnv, args: string[], viteNode = false): string {
	const bin = viteNode
		? [join(ROOT, 'node_modules/vite-node/vite-node.mjs'), '--config', 'scripts/vite-node.config.ts']
		: [join(ROOT, 'node_modules/tsx/dist/cli.mjs')];
	return execFileSync(process.execPath, [...bin, ...args], {
		cwd: ROOT,
		env,
		encoding: 'utf8',
		maxBuffer: 256 * 1024 * 1024,
		stdio: ['ignore', 'pipe', 'pipe']
	});
}
