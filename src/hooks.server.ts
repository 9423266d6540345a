/**
 * Why this exists: server start-up (SvelteKit awaits `init` before the first request) and
 * process-wide error handling that never leaks a stack trace to the browser.
 */
import type { HandleServerError, ServerInit } from '@sveltejs/kit';
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
