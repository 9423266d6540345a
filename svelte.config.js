import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		alias: { $schemas: 'schemas', $db: 'db', $ingest: 'ingest/index.ts' },
		// Cross-site request forgery is checked in hooks.server.ts for forms and the JSON API alike,
		// by host: adapter-node assumes https unless ORIGIN is set, so SvelteKit's own scheme-exact
		// check would refuse every form posted to a plain-http local install.
		csrf: { trustedOrigins: ['*'] },
		// Content-Security-Policy on every page. SvelteKit adds a nonce (or hash) for its own inline
		// start-up script, so no other inline script runs. Styles allow 'unsafe-inline' because
		// Observable Plot writes a <style> into each chart and style attributes on its marks.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self', 'data:'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
