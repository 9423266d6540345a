// Why this exists: command-line scripts that import server query modules (SQL files via `?raw`,
// the `$schemas` alias) run under vite-node with this minimal config — without the SvelteKit
// plugin, which only works inside a SvelteKit build or dev server.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
	resolve: { alias: { $schemas: fileURLToPath(new URL('../schemas', import.meta.url)) } },
	ssr: { external: ['chdb'] }
});
