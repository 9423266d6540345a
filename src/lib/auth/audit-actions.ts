/** What the audit log records (shared by the server and the admin page's filter). */
export const AUDIT_ACTIONS = [
	'sign_in',
	'sign_in_failed',
	'sign_out',
	'pii_reveal',
	'export',
	'change',
	'access_denied',
	'alert_sent',
	'alert_failed'
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
