/**
 * Why this exists: command-line scripts that import query modules (SQL as `?raw`, `$lib` and
 * `$schemas` aliases) run under vite-node with this minimal config. The SvelteKit plugin is left
 * out on purpose: outside a SvelteKit build it refuses to load modules ("impossible situation").
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
	root,
	resolve: {
		alias: { $lib: `${root}src/lib`, $schemas: `${root}schemas`, $db: `${root}db`, $ingest: `${root}ingest/index.ts` }
	},
	ssr: { external: ['chdb', '@bsull/augurs', '@bsull/augurs-prophet-wasmstan'] }
});
