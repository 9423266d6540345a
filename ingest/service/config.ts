/**
 * Why this exists: the sources file (YAML or JSON) says which sources the service pulls, how often,
 * through which mapping, and where their secrets are. It is validated by zod as a whole at start-up,
 * each connector's options by that connector's own schema, so a typo stops start-up with a message
 * naming the source and field. Secrets are never in the file: only the names of environment
 * variables holding them (`tokenEnv`, `secretEnv`, …), read when a request is made.
 */
import { readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Mapping } from '../../schemas/mapping';
import { connectorFor, SOURCE_KINDS } from '../sources/connectors';
import type { HttpOptions } from '../sources/connectors/http';
import { loadMapping } from '../mapping/mapping-file';

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name (A-Z, 0-9, _)');

export const AuthSchema = z.discriminatedUnion('type', [
	z.strictObject({ type: z.literal('bearer'), tokenEnv: envName }),
	z.strictObject({ type: z.literal('basic'), userEnv: envName, passwordEnv: envName }),
	z.strictObject({ type: z.literal('header'), header: z.string().regex(/^[A-Za-z0-9-]+$/), valueEnv: envName })
]);

export const SourceSchema = z
	.strictObject({
		name: z
			.string()
			.regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _')
			.meta({ description: 'Source name; part of every record key, so keep it stable.' }),
		kind: z.enum(SOURCE_KINDS),
		mapping: z.string().min(1).meta({ description: 'Mapping file, relative to the sources file.' }),
		interval: z.number().int().min(1).max(86_400).default(300).meta({ description: 'Seconds between runs.' }),
		enabled: z.boolean().default(true),
		options: z.record(z.string(), z.unknown()).default({}),
		auth: AuthSchema.optional(),
		/** Webhook sources: HMAC-SHA256 secret's variable and the accepted clock skew. */
		webhook: z
			.strictObject({ secretEnv: envName, toleranceSeconds: z.number().int().min(1).max(3600).default(300) })
			.optional(),
		http: z
			.strictObject({
				timeoutMs: z.number().int().min(10).max(300_000).default(30_000),
				attempts: z.number().int().min(1).max(20).default(5),
				backoffMs: z.number().int().min(0).max(60_000).default(500)
			})
			.prefault({}),
		/** Consecutive failed runs after which the source is paused (its error stays visible). */
		maxFailures: z.number().int().min(1).max(100).default(5)
	})
	.superRefine((s, ctx) => {
		const c = connectorFor(s.kind);
		if (c) {
			const r = c.options.safeParse(s.options);
			if (!r.success)
				for (const i of r.error.issues)
					ctx.addIssue({ code: 'custom', path: ['options', ...i.path], message: i.message });
		} else if (s.kind === 'webhook' && !s.webhook) {
			ctx.addIssue({ code: 'custom', path: ['webhook'], message: 'a webhook source needs webhook.secretEnv' });
		}
	});
export type SourceConfig = z.infer<typeof SourceSchema>;

export const SourcesFileSchema = z
	.strictObject({ sources: z.array(SourceSchema).max(500) })
	.refine((f) => new Set(f.sources.map((s) => s.name)).size === f.sources.length, {
		message: 'source names must be unique',
		path: ['sources']
	});

export interface Source extends SourceConfig {
	/** The mapping, renamed to the source so records carry the source's name. */
	mappingSpec: Mapping;
	/** Absolute path of the mapping file (re-read when quarantined records are re-processed). */
	mappingPath: string;
	/** Connector options after the connector's schema applied its defaults. */
	parsedOptions: unknown;
}

export class SourcesError extends Error {}

export function parseSources(json: unknown, baseDir: string): Source[] {
	const parsed = SourcesFileSchema.safeParse(json);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
		throw new SourcesError(`Sources file is invalid:\n${lines.join('\n')}`);
	}
	return parsed.data.sources.map((s) => {
		const path = isAbsolute(s.mapping) ? s.mapping : resolve(baseDir, s.mapping);
		let mapping: Mapping;
		try {
			mapping = loadMapping(path);
		} catch (err) {
			throw new SourcesError(`Source ${s.name}: ${(err as Error).message}`);
		}
		const c = connectorFor(s.kind);
		const options = c ? c.options.parse(s.options) : s.options;
		// A files source keeps paths relative to the sources file, like its mapping.
		if (s.kind === 'files' && typeof (options as { path?: string }).path === 'string') {
			const o = options as { path: string };
			if (!isAbsolute(o.path)) o.path = resolve(baseDir, o.path);
		}
		return { ...s, mappingSpec: { ...mapping, name: s.name }, mappingPath: path, parsedOptions: options };
	});
}

export function loadSources(file: string): Source[] {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (err) {
		throw new SourcesError(`Sources file ${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? err}`);
	}
	let json: unknown;
	try {
		json = ['.yaml', '.yml'].includes(extname(file)) ? parseYaml(text) : JSON.parse(text);
	} catch (err) {
		throw new SourcesError(`Sources file ${file} does not parse: ${(err as Error).message}`);
	}
	return parseSources(json, dirname(resolve(file)));
}

/** HTTP options for a source, with its auth header read from the environment now. */
export function httpOptions(s: SourceConfig, environment: NodeJS.ProcessEnv = process.env): HttpOptions {
	const headers: Record<string, string> = {};
	const need = (name: string) => {
		const v = environment[name];
		if (!v) throw new SourcesError(`Source ${s.name}: environment variable ${name} is not set`);
		return v;
	};
	if (s.auth?.type === 'bearer') headers.authorization = `Bearer ${need(s.auth.tokenEnv)}`;
	else if (s.auth?.type === 'basic')
		headers.authorization = `Basic ${Buffer.from(`${need(s.auth.userEnv)}:${need(s.auth.passwordEnv)}`).toString('base64')}`;
	else if (s.auth?.type === 'header') headers[s.auth.header.toLowerCase()] = need(s.auth.valueEnv);
	return { ...s.http, headers };
}
