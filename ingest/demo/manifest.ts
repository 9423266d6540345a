/**
 * Why this exists: which demo file is loaded with which mapping, in load order (customers first,
 * so interactions can take their segment and region from the customer).
 */
export const DEMO_SOURCES: { file: string; mapping: string }[] = [
	{ file: 'crm/customers.csv', mapping: 'ingest/mappings/demo/crm-customers.json' },
	{ file: 'crm/orders.csv', mapping: 'ingest/mappings/demo/crm-orders.json' },
	{ file: 'crm/tickets.ndjson', mapping: 'ingest/mappings/demo/crm-tickets.json' },
	{ file: 'callcenter/calls.csv', mapping: 'ingest/mappings/demo/callcenter-calls.json' },
	{ file: 'social/posts.ndjson', mapping: 'ingest/mappings/demo/social-posts.json' }
];
