/**
 * The layer rule is live: ESLint refuses an import against the direction schemas ← db ← ingest ←
 * app, and the source tree has no import cycle, type-only imports included.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCircular, parseDependencyTree } from 'dpdm';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function layerErrors(filePath: string, code: string): Promise<string[]> {
	const [result] = await eslint.lintText(code, { filePath });
	return (result?.messages ?? []).filter((m) => m.ruleId === 'import-x/no-restricted-paths').map((m) => m.message);
}

describe('layer rule', () => {
	it.each([
		['schemas/probe.ts', "import { env } from '../db/env';"],
		['db/probe.ts', "import { loadMapping } from '../ingest/mapping/mapping-file';"],
		['ingest/probe.ts', "import { kept } from '../src/lib/server/kept';"],
		['src/lib/server/probe.ts', "import { loadMapping } from '../../../ingest/mapping/mapping-file';"]
	])('refuses %s importing against the direction', async (file, code) => {
		const errors = await layerErrors(file, `${code}\nexport {};\n`);
		expect(errors).toHaveLength(1);
	});

	it.each([
		['src/lib/server/probe.ts', "import { loadMapping } from '$ingest';"],
		['ingest/probe.ts', "import { env } from '../db/env';"],
		['db/probe.ts', "import { CHANNELS } from '../schemas/entities';"]
	])('accepts %s importing down the layers', async (file, code) => {
		expect(await layerErrors(file, `${code}\nexport {};\n`)).toEqual([]);
	});
});

describe('import cycles', () => {
	const tmp = mkdtempSync(join(tmpdir(), 'touchmap-cycles-'));
	afterAll(() => rmSync(tmp, { recursive: true, force: true }));

	const cycles = async (globs: string[]) =>
		parseCircular(
			await parseDependencyTree(globs, {
				context: process.cwd(),
				transform: false, // keep type-only imports
				skipDynamicImports: false,
				tsconfig: 'tsconfig.json',
				progress: false
			} as Parameters<typeof parseDependencyTree>[1])
		);

	it('counts a cycle made only of type imports', async () => {
		writeFileSync(join(tmp, 'a.ts'), "import type { B } from './b';\nexport type A = { b?: B };\n");
		writeFileSync(join(tmp, 'b.ts'), "import type { A } from './a';\nexport type B = { a?: A };\n");
		expect(await cycles([join(tmp, '*.ts')])).toHaveLength(1);
	});

	it('finds none in the source tree', async () => {
		const found = await cycles(['schemas/**/*.ts', 'db/**/*.ts', 'ingest/**/*.ts', 'src/**/*.ts']);
		expect(found.map((c) => c.join(' → '))).toEqual([]);
	});
});
