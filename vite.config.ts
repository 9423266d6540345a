import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	// chdb is a native addon: never bundle it.
	ssr: { external: ['chdb'] },
	optimizeDeps: { exclude: ['chdb'] },
	build: {
		rollupOptions: {
			// zod's source carries /* @__PURE__ */ notes Rollup cannot place; they are harmless noise.
			onwarn(warning, warn) {
				if (warning.code !== 'INVALID_ANNOTATION') warn(warning);
			}
		}
	},
	test: {
		// One process owns an embedded data directory and libchdb binds one directory per process,
		// so test files run one at a time, each in its own fork.
		pool: 'forks',
		poolOptions: { forks: { singleFork: false } },
		fileParallelism: false,
		testTimeout: 60_000,
		hookTimeout: 180_000,
		// No text worker pool per test file (model loading in every file), and no background forecast
		// warm racing a file's own questions and its database's removal; each has its own test.
		env: { TZ: 'UTC', TOUCHMAP_REASONS_HOURS: '0', TOUCHMAP_TEXT_WORKERS: '0', TOUCHMAP_FORECAST_WARM: '0' },
		projects: [
			{ extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
			{ extends: true, test: { name: 'integration', include: ['tests/integration/**/*.test.ts'] } },
			{
				extends: true,
				// A page reloads its data after a change; on a loaded machine that takes seconds, not one.
				test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], expect: { poll: { timeout: 10_000 } } }
			}
		]
	}
});
