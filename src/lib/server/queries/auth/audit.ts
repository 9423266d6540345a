/**
 * Why this exists: the audit log — sign-ins (and failed attempts), sign-outs, PII reveals, exports
 * and every settings/admin change — written by the server, readable by admins on /admin/audit.
 * Writing never fails the action it records: an audit failure is logged and the action goes on
 * (the alternative, refusing sign-ins when the log is down, locks everyone out).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import sql from './audit.sql?raw';

export const AUDIT_SQL = sql;

import type { AuditAction } from '$lib/auth/audit-actions';
export { AUDIT_ACTIONS, type AuditAction } from '$lib/auth/audit-actions';

export interface AuditEntry {
	user_id?: string;
	email?: string;
	role?: string;
	action: AuditAction;
	target?: string;
	detail?: string;
	ip?: string;
	ok?: boolean;
}

export const AuditRowSchema = z.object({
	at: z.string(),
	user_id: z.string(),
	email: z.string(),
	role: z.string(),
	action: z.string(),
	target: z.string(),
	detail: z.string(),
	ip: z.string(),
	ok: z.coerce.number().transform((v) => v === 1)
});
export type AuditRow = z.infer<typeof AuditRowSchema>;

export async function audit(client: ClickHouseClient, e: AuditEntry): Promise<void> {
	try {
		await client.insert({
			table: 'audit_log',
			values: [
				{
					at: Date.now(),
					user_id: e.user_id ?? '',
					email: e.email ?? '',
					role: e.role ?? '',
					action: e.action,
					target: (e.target ?? '').slice(0, 500),
					detail: (e.detail ?? '').slice(0, 2000),
					ip: e.ip ?? '',
					ok: e.ok === false ? 0 : 1
				}
			],
			format: 'JSONEachRow'
		});
	} catch (err) {
		console.error(`touchmap: audit write failed (${e.action}): ${(err as Error).message}`);
	}
}

export async function listAudit(
	client: ClickHouseClient,
	opts: { action?: string; limit: number; offset: number }
): Promise<AuditRow[]> {
	const rs = await client.query({
		query: sql,
		query_params: { action: opts.action ?? '', limit: opts.limit, offset: opts.offset },
		format: 'JSONEachRow'
	});
	return z.array(AuditRowSchema).parse(await rs.json());
}
