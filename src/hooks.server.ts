/**
 * Why this exists: server start-up (SvelteKit awaits `init` before the first request) and what
 * every request passes through: security headers, request limits and compression, the session (who is
 * signing in), the page/file access rules (the API checks its own in tRPC middleware), the UI
 * language, and error handling that never leaks a stack trace to the browser.
 */
import { timingSafeEqual } from 'node:crypto';
import { json, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { canView, isPublicPath } from '$lib/auth/access';
import { isLocale, LOCALE_COOKIE } from '$lib/i18n';
import { ensureFirstAdmin } from '$lib/server/auth/first-admin';
import { SESSION_COOKIE } from '$lib/server/auth/cookie';
import { bootstrap } from '$lib/server/bootstrap';
import { openDb } from '$db/open';
import { env } from '$db/env';
import { callsIn, limitKey, RateLimiter } from '$lib/server/http/rate-limit';
import { compress } from '$lib/server/http/compress';
import { HSTS, isCrossSiteWrite, MAX_BODY_BYTES, SECURITY_HEADERS, servedOverHttps } from '$lib/server/http/security';
import { audit } from '$lib/server/queries/auth/audit';
import { sessionUser } from '$lib/server/queries/auth/sessions';

export const init: ServerInit = async () => {
	try {
		await bootstrap();
		if (env().TOUCHMAP_AUTH === 'on') await ensureFirstAdmin(await openDb(), (l) => console.log(`touchmap: ${l}`));
		else console.log('touchmap: TOUCHMAP_AUTH=off — no sign-in; for local demos only');
	} catch (err) {
		console.error(`touchmap: start-up failed: ${(err as Error).message}`);
		process.exit(1);
	}
};

export const handleError: HandleServerError = ({ error, status }) => {
	if (status !== 404) console.error(error);
	return { message: status === 404 ? 'Not found' : 'Something went wrong on our side.' };
};

const limiter = new RateLimiter(env().TOUCHMAP_API_RATE);
const problem = (status: number, message: string, headers: Record<string, string> = {}) =>
	json({ error: { message, code: status } }, { status, headers });

/** Headers on every answer; size limit and CSRF before anything else runs. */
const guardRequest: Handle = async ({ event, resolve }) => {
	const { request, url } = event;
	let response: Response;
	const length = Number(request.headers.get('content-length') ?? 0);
	if (length > MAX_BODY_BYTES) response = problem(413, `Request body over ${MAX_BODY_BYTES} bytes.`);
	else if (isCrossSiteWrite(request, url)) response = problem(403, 'Cross-site request refused.');
	else response = await resolve(event);
	for (const [name, value] of Object.entries(SECURITY_HEADERS))
		if (!response.headers.has(name)) response.headers.set(name, value);
	if (servedOverHttps(request)) response.headers.set('Strict-Transport-Security', HSTS);
	return compress(request, response);
};

/** Who is asking: the session cookie's user, or nobody. */
const session: Handle = async ({ event, resolve }) => {
	event.locals.authEnforced = env().TOUCHMAP_AUTH === 'on';
	const token = event.cookies.get(SESSION_COOKIE);
	event.locals.sessionToken = token;
	event.locals.user = token ? await sessionUser((await openDb()).client, token) : null;
	return resolve(event);
};

/** The API's rate limit, once the session says whose calls these are (rate-limit.ts). */
const rateLimit: Handle = async ({ event, resolve }) => {
	const { url, locals } = event;
	if (!url.pathname.startsWith('/api/')) return resolve(event);
	const wait = limiter.take(limitKey(locals.user?.user_id, event.getClientAddress()), Date.now(), callsIn(url));
	if (wait) return problem(429, 'Too many requests; slow down.', { 'Retry-After': String(wait) });
	return resolve(event);
};

/**
 * Pages and files need a signed-in user whose role may open them. Pages are guarded by the root
 * layout's server load (it redirects to /login, or renders a "no access" panel, for page and data
 * requests alike); the API (/api/trpc) answers 401/403 per procedure; everything else — files
 * served by +server.ts routes, such as CSV exports — is guarded here.
 */
const access: Handle = async ({ event, resolve }) => {
	const { url, locals } = event;
	if (!locals.authEnforced || isPublicPath(url.pathname) || url.pathname.startsWith('/api/')) return resolve(event);
	if (isPage(event.route.id)) {
		const response = await resolve(event);
		// The layout draws the "no access" panel; the HTML says so in its status too (client-side
		// navigations read the data request, which must stay 200 for the panel to render).
		if (locals.user && !event.isDataRequest && response.status === 200 && !canView(locals.user.role, url.pathname))
			return new Response(response.body, { status: 403, headers: response.headers });
		return response;
	}
	if (url.pathname === '/ingest/metrics' && metricsTokenOk(event.request)) return resolve(event);
	if (!locals.user) return problem(401, 'Sign in first.');
	if (!canView(locals.user.role, url.pathname)) {
		await audit((await openDb()).client, {
			user_id: locals.user.user_id,
			email: locals.user.email,
			role: locals.user.role,
			action: 'access_denied',
			target: url.pathname,
			ip: event.getClientAddress(),
			ok: false
		});
		return problem(403, `The ${locals.user.role} role cannot open ${url.pathname}.`);
	}
	const response = await resolve(event);
	// Every file download (CSV exports and the like) is recorded, whichever area serves it.
	if (response.ok && isExport(response))
		await audit((await openDb()).client, {
			user_id: locals.user.user_id,
			email: locals.user.email,
			role: locals.user.role,
			action: 'export',
			target: url.pathname,
			detail: url.search.slice(0, 500),
			ip: event.getClientAddress()
		});
	return response;
};

const isExport = (r: Response) =>
	/text\/csv|application\/(pdf|octet-stream|zip)|image\/png/.test(r.headers.get('content-type') ?? '') ||
	/attachment/.test(r.headers.get('content-disposition') ?? '');

/** Prometheus scrapes /ingest/metrics with `Authorization: Bearer $TOUCHMAP_METRICS_TOKEN` (else admins only). */
function metricsTokenOk(request: Request): boolean {
	const token = env().TOUCHMAP_METRICS_TOKEN;
	if (!token) return false;
	const given = Buffer.from(request.headers.get('authorization') ?? '');
	const want = Buffer.from(`Bearer ${token}`);
	return given.length === want.length && timingSafeEqual(given, want);
}

// Route ids of pages (as opposed to files served by +server.ts), known at build time.
const PAGE_ROUTES = new Set(
	Object.keys(import.meta.glob('/src/routes/**/+page.svelte')).map(
		(p) => p.replace('/src/routes', '').replace(/\/\+page\.svelte$/, '') || '/'
	)
);
const isPage = (routeId: string | null) => routeId !== null && PAGE_ROUTES.has(routeId);

/** The UI language comes from a cookie (set by the language switch), else the browser's preference. */
const language: Handle = async ({ event, resolve }) => {
	const cookie = event.cookies.get(LOCALE_COOKIE);
	const preferred = event.request.headers.get('accept-language')?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
	event.locals.lang = isLocale(cookie) ? cookie : preferred;
	return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.lang) });
};

export const handle = sequence(guardRequest, session, rateLimit, access, language);
