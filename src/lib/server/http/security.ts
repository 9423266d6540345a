/**
 * Why this exists: the response headers and request checks every answer gets. The Content-Security-Policy itself comes from svelte.config.js (`kit.csp`), which
 * hashes SvelteKit's own inline start-up script so no other inline script can run.
 */
export const SECURITY_HEADERS: Record<string, string> = {
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'strict-origin-when-cross-origin',
	'X-Frame-Options': 'DENY',
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()'
};

/** Largest request body accepted (bytes); adapter-node's BODY_SIZE_LIMIT is a second line. */
export const MAX_BODY_BYTES = 1024 * 1024;

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Cross-site request forgery: a browser always sends Origin on a cross-origin POST, so an unsafe
 * request whose Origin names another host is refused — forms and the JSON API alike. Hosts are
 * compared, not schemes: behind adapter-node without ORIGIN the server believes it is on https
 * while a local browser says http, and a scheme difference on the same host is no forgery.
 * Clients that send no Origin (curl, server-to-server) still need a session cookie.
 */
export function isCrossSiteWrite(request: Request, url: URL): boolean {
	if (!UNSAFE.has(request.method)) return false;
	if (request.headers.get('sec-fetch-site') === 'cross-site') return true;
	const origin = request.headers.get('origin');
	if (!origin) return false;
	let host: string;
	try {
		host = new URL(origin).host;
	} catch {
		return true; // "null" (sandboxed frames, file://) or garbage
	}
	return host !== (request.headers.get('host') ?? url.host);
}
