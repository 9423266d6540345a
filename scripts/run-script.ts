/**
 * Why this exists: evaluation scripts load data sets and measure them in child processes (the
 * embedded engine opens one data directory per process): a script under tsx, or under vite-node
 * when it imports query modules. Returns the child's standard output.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export function runScript(env: NodeJS.ProcessEnv, args: string[], viteNode = false): string {
	const root = process.cwd();
	const bin = viteNode
		? [join(root, 'node_modules/vite-node/vite-node.mjs'), '--config', 'scripts/vite-node.config.ts']
		: [join(root, 'node_modules/tsx/dist/cli.mjs')];
	return execFileSync(process.execPath, [...bin, ...args], {
		cwd: root,
		env,
		encoding: 'utf8',
		maxBuffer: 256 * 1024 * 1024,
		stdio: ['ignore', 'pipe', 'pipe']
	});
}
