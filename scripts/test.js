#!/usr/bin/env node
// Why this exists: `npm test` is the whole gate, the same on a laptop and in CI — type-check,
// lint, format check, then unit, integration (real embedded ClickHouse) and browser e2e tests.
// Browser tests need Debian's Chromium: install it when we can (root + apt), else say how.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const INSTALL = 'apt-get update && apt-get install -y chromium fonts-noto-cjk';

function run(title, cmd, args) {
	console.log(`\n▶ ${title}`);
	const r = spawnSync(cmd, args, { stdio: 'inherit' });
	if (r.status !== 0) {
		console.error(`\n✖ ${title} failed`);
		process.exit(r.status ?? 1);
	}
}

function ensureChromium() {
	if (existsSync(CHROMIUM)) return;
	const isRoot = process.getuid?.() === 0;
	if (isRoot && existsSync('/usr/bin/apt-get')) {
		console.log(`\n▶ installing Debian's Chromium for the browser tests: ${INSTALL}`);
		execSync(INSTALL, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
		return;
	}
	console.error(`\nBrowser tests need Debian's Chromium at ${CHROMIUM}. Install it with:\n  sudo sh -c '${INSTALL}'`);
	process.exit(1);
}

const npx = (bin, ...args) => ['node', [`node_modules/${bin}`, ...args]];
run('type-check', 'npm', ['run', '--silent', 'check']);
run('lint', ...npx('eslint/bin/eslint.js', '.'));
run('format check', ...npx('prettier/bin/prettier.cjs', '--check', '.'));
ensureChromium();
const report = 'test-results/vitest.json';
run(
	'tests (unit, integration, e2e)',
	...npx('vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`)
);
// One plain closing line that any CI can read.
const r = JSON.parse(readFileSync(report, 'utf8'));
console.log(
	`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`
);
