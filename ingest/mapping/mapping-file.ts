/**
 * Why this exists: a mapping reaches ingest as a JSON or YAML file a person wrote. It is read and
 * checked against schemas/mapping.ts and the canonical fields (check-mapping.ts) here, once, with
 * errors that name the file and the field, so the CLI, the sources file and the demo loader all
 * refuse a broken mapping the same way.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { MappingSchema, type Mapping } from '../../schemas/mapping';
import { checkMapping, mappingProblems } from './check-mapping';

/** A mapping from parsed JSON: the schema's shape, then what check-mapping.ts refuses (it throws). */
export function parseMapping(json: unknown): Mapping {
	const mapping = MappingSchema.parse(json);
	checkMapping(mapping);
	return mapping;
}

/** Reads a mapping file (JSON or YAML) and validates it; errors name the file. */
export function loadMapping(path: string): Mapping {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (err) {
		throw new Error(`Mapping ${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
	}
	let json: unknown;
	try {
		json = ['.yaml', '.yml'].includes(extname(path)) ? parseYaml(text) : JSON.parse(text);
	} catch (err) {
		throw new Error(`Mapping ${path} is not valid ${extname(path).slice(1).toUpperCase()}: ${(err as Error).message}`);
	}
	let mapping: Mapping;
	try {
		mapping = MappingSchema.parse(json);
	} catch (err) {
		const issues = (err as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
		const detail = issues ? issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n') : String(err);
		throw new Error(`Mapping ${path} is invalid:\n${detail}`);
	}
	const problems = mappingProblems(mapping);
	if (problems.length) throw new Error(`Mapping ${path} is invalid:\n  ${problems.join('\n  ')}`);
	return mapping;
}
