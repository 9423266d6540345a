/**
 * Why this exists: server start-up (SvelteKit awaits `init` before the first request) and
 * process-wide error handling that never leaks a stack trace to the browser.
 */
import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { isLocale, LOCALE_COOKIE } from '$lib/i18n';
import { bootstrap } from '$lib/server/bootstrap';

export const init: ServerInit = async () => {
	try {
		await bootstrap();
	} catch (err) {
		console.error(`touchmap: start-up failed: ${(err as Error).message}`);
		process.exit(1);
	}
};

export const handleError: HandleServerError = ({ error, status }) => {
	if (status !== 404) console.error(error);
	return { message: status === 404 ? 'Not found' : 'Something went wrong on our side.' };
};

/** The UI language comes from a cookie (set by the language switch), else the browser's preference. */
export const handle: Handle = async ({ event, resolve }) => {
	const cookie = event.cookies.get(LOCALE_COOKIE);
	const preferred = event.request.headers.get('accept-language')?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
	event.locals.lang = isLocale(cookie) ? cookie : preferred;
	return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.lang) });
};
