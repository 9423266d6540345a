/**
 * Why this exists: the one list of connector kinds a sources file may name.
 */
import { files } from './files';
import { hubspot } from './hubspot';
import { reddit } from './reddit';
import { salesforce } from './salesforce';
import type { Connector } from './types';
import { twilio } from './twilio';
import { weibo } from './weibo';
import { x } from './x';
import { zendesk } from './zendesk';

export const CONNECTORS = { zendesk, salesforce, hubspot, twilio, x, reddit, weibo, files } as const;
export type ConnectorKind = keyof typeof CONNECTORS;
/** `webhook` sources are pushed to POST /ingest/webhook/:source instead of pulled. */
export const SOURCE_KINDS = [...(Object.keys(CONNECTORS) as ConnectorKind[]), 'webhook'] as const;

export function connectorFor(kind: string): Connector<unknown> | undefined {
	return (CONNECTORS as Record<string, Connector<unknown>>)[kind];
}
