/**
 * Why this exists: who may do what, in one table (shared by server and UI: the navigation hides
 * what a role cannot open, but the server is what enforces it). tRPC's `authorisedProcedure` (every
 * procedure but signing in, by its `area.name` path) and the request hook (every page and file
 * route, by URL prefix) both ask here, so access is enforced on the server for the API, pages and
 * exports alike — never only in the UI, and a new procedure is covered by its area's row without
 * touching its router.
 *
 * Roles: admin — users, sources, settings, everything; strategist — all analytics, PII masked;
 * executive — overview, trends, ROI, journey, no record-level data; product — journey, pain points
 * and verbatims, PII masked.
 */
export const ROLES = ['admin', 'strategist', 'executive', 'product'] as const;
export type Role = (typeof ROLES)[number];

const ALL: readonly Role[] = ROLES;
const ANALYSTS: readonly Role[] = ['admin', 'strategist'];

/** Queries per API area. Mutations are admin-only unless listed in MUTATIONS. */
export const AREA_ACCESS: Record<string, readonly Role[]> = {
	auth: ALL, // auth.me and friends; admin-only procedures are listed below
	kpi: ALL,
	settings: ALL,
	journey: ALL,
	painPoints: ['admin', 'strategist', 'product'],
	reasons: ['admin', 'strategist', 'product'],
	text: ['admin', 'strategist', 'product'],
	customers: ANALYSTS,
	// Key drivers are for the people who fix things; executives see the results (trends, ROI).
	drivers: ['admin', 'strategist', 'product'],
	trends: ['admin', 'strategist', 'executive'],
	roi: ['admin', 'strategist', 'executive'],
	admin: ['admin'],
	sources: ['admin'],
	privacy: ['admin'],
	alerts: ['admin'],
	// Executives see actions and their measured results; the others own them too.
	actions: ALL
};

/** Procedures whose access differs from their area's row. */
export const PROCEDURE_ACCESS: Record<string, readonly Role[]> = {
	'auth.users': ['admin'],
	'auth.audit': ['admin'],
	// Everyone manages their own alert subscription; the rest of alerts.* is admin-only.
	'alerts.mySubscription': ALL
};

/** Mutations anyone signed in may call (everything else that writes is admin-only). */
export const MUTATIONS: Record<string, readonly Role[]> = {
	'auth.signOut': ALL,
	// Contact reasons are corrected by the people who read them (discovery again stays admin-only).
	'reasons.rename': ANALYSTS,
	'reasons.merge': ANALYSTS,
	'reasons.split': ANALYSTS,
	'reasons.hide': ANALYSTS,
	'reasons.setStage': ANALYSTS,
	// So are the journey rules and the deployment's own intents, and applying them to stored rows.
	'journey.updateRules': ANALYSTS,
	'journey.updateIntents': ANALYSTS,
	'journey.applyRules': ANALYSTS,
	'alerts.subscribe': ALL,
	// Actions are owned by strategists and product teams.
	'actions.create': ['admin', 'strategist', 'product'],
	'actions.update': ['admin', 'strategist', 'product']
};

/**
 * Page and file routes by URL prefix, most specific first. Exports live under their page's prefix
 * (e.g. /pain-points/…/export.csv), so they inherit its rule. Unlisted paths are admin-only.
 */
export const PAGE_ACCESS: [prefix: string, roles: readonly Role[]][] = [
	['/customers', ANALYSTS],
	['/pain-points', ['admin', 'strategist', 'product']],
	['/reasons', ['admin', 'strategist', 'product']],
	['/journey', ALL],
	['/trends', ['admin', 'strategist', 'executive']],
	['/roi', ['admin', 'strategist', 'executive']],
	['/admin', ['admin']],
	['/account', ALL],
	['/actions', ALL]
];

/** Reachable without signing in. */
export const PUBLIC_PATHS = ['/login', '/logout', '/healthz', '/favicon.svg', '/robots.txt'];
/** Authenticated by their own means (HMAC signatures, the OIDC provider), not by a session. */
export const SELF_AUTHENTICATED_PREFIXES = ['/ingest/webhook/', '/login/oidc'];

export function isPublicPath(pathname: string): boolean {
	return (
		PUBLIC_PATHS.includes(pathname) ||
		pathname.startsWith('/_app/') ||
		SELF_AUTHENTICATED_PREFIXES.some((p) => pathname.startsWith(p))
	);
}

/** May `role` call the tRPC procedure at `path` ("area.name") of this type? */
export function canCall(role: Role, path: string, type: 'query' | 'mutation' | 'subscription'): boolean {
	if (type === 'mutation') return (MUTATIONS[path] ?? ['admin']).includes(role);
	const area = path.split('.')[0] ?? '';
	return (PROCEDURE_ACCESS[path] ?? AREA_ACCESS[area] ?? ['admin']).includes(role);
}

/** May `role` open the page or file at `pathname`? */
export function canView(role: Role, pathname: string): boolean {
	if (pathname === '/' || isPublicPath(pathname)) return true;
	const rule = PAGE_ACCESS.find(([prefix]) => pathname === prefix || pathname.startsWith(`${prefix}/`));
	return (rule?.[1] ?? ['admin']).includes(role);
}

/**
 * Whether the UI offers changing shared settings (rules, assumptions, time zone): admins only,
 * or anyone with sign-in off. The server refuses the change to anyone else regardless.
 */
export function canChangeSettings(user: { role: Role } | null | undefined, authEnforced: boolean): boolean {
	return !authEnforced || user?.role === 'admin';
}

/** Whether the UI offers creating and editing actions (the server refuses anyone else regardless). */
export function canOwnActions(viewer: { user?: { role: Role } | null; authEnforced?: boolean }): boolean {
	return viewer.authEnforced === false || (!!viewer.user && canCall(viewer.user.role, 'actions.create', 'mutation'));
}

/** Whether a role sees personal data unmasked by default: nobody does (admins reveal per customer). */
export const PII_MASKED_BY_DEFAULT = true;
