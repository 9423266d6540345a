// Lint rules: typescript-eslint's recommended set plus Svelte's, on every source file, and the
// layer rule: dependencies run one way, schemas ← db ← ingest ← app (src), with no import cycles.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Each layer may import only from the layers below it; the app enters ingest through its index. */
const LAYERS = [
	{ target: './schemas', from: ['./db', './ingest', './src'], message: 'schemas/ is the lowest layer.' },
	{ target: './db', from: ['./ingest', './src'], message: 'db/ may import only schemas/.' },
	{ target: './ingest', from: ['./src'], message: 'ingest/ may not import the app (src/).' },
	{
		target: './src',
		from: './ingest',
		except: ['./index.ts'],
		message: 'The app reaches ingest only through $ingest (ingest/index.ts).'
	}
];

export default ts.config(
	{
		ignores: ['build/', '.svelte-kit/', 'node_modules/', 'data/', 'demo-data/', 'test-results/', 'bench/.data/']
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{ languageOptions: { globals: { ...globals.browser, ...globals.node } } },
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig }
		}
	},
	{ rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }] } },
	{
		files: ['**/*.ts', '**/*.js', '**/*.svelte'],
		plugins: { 'import-x': importX },
		settings: {
			'import-x/extensions': ['.ts', '.js', '.svelte'],
			// Parse each followed file with its own parser (a .ts file imported from a .svelte file too).
			'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.js'], 'svelte-eslint-parser': ['.svelte'] },
			'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })]
		},
		rules: {
			'import-x/no-restricted-paths': ['error', { zones: LAYERS }],
			// Type-only imports count: a cycle of types is still a knot a reader has to untie.
			'import-x/no-cycle': ['error', { ignoreExternal: true }]
		}
	}
);
