import { AUDIT_ACTIONS, type AuditAction } from '$lib/auth/audit-actions';
import { loadPage } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ fetch, url }) => {
	const param = url.searchParams.get('action') ?? '';
	const action = (AUDIT_ACTIONS as readonly string[]).includes(param) ? (param as AuditAction) : undefined;
	return loadPage(
		fetch,
		async (api) => ({ action: action ?? '', entries: await api.auth.audit.query({ action, limit: 200 }) }),
		{ action: action ?? '', entries: [] }
	);
};
