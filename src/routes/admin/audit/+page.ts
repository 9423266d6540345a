import { AUDIT_ACTIONS } from '$lib/auth/audit-actions';
import { trpc } from '$lib/trpc';
import type { PageLoad } from './$types';

type Action = (typeof AUDIT_ACTIONS)[number];

export const load: PageLoad = async ({ fetch, url }) => {
	const param = url.searchParams.get('action') ?? '';
	const action = (AUDIT_ACTIONS as readonly string[]).includes(param) ? (param as Action) : undefined;
	try {
		return { action: action ?? '', entries: await trpc(fetch).auth.audit.query({ action, limit: 200 }), error: null };
	} catch (err) {
		return { action: action ?? '', entries: [], error: (err as Error).message };
	}
};
