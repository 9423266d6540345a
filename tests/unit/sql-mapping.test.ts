import { describe, expect, it } from 'vitest';
import { parseMapping } from '../../ingest/mapping/map-record';
import { compileSqlMapping, sqlString } from '../../ingest/mapping/sql/compile';

const base = { name: 'm', entity: 'interaction', format: 'ndjson' } as const;

describe('sqlString', () => {
	it('escapes quotes, backslashes and control bytes', () => {
		expect(sqlString("a'b")).toBe("'a\\'b'");
		expect(sqlString('a\\b')).toBe("'a\\\\b'");
		expect(sqlString('x\ny\u0000')).toBe("'x\\x0ay\\x00'");
		expect(sqlString("'; DROP TABLE interactions; --")).toBe("'\\'; DROP TABLE interactions; --'");
	});
});

describe('compileSqlMapping', () => {
	it('compiles nested paths, maps, defaults and attributes', () => {
		const c = compileSqlMapping(
			parseMapping({
				...base,
				fields: {
					source_id: 'id',
					ts: 'created_at',
					channel: { from: ['via.channel', 'medium'], map: { Mobile: 'app' }, default: 'web' },
					stage: { from: 'tags.0.name' },
					'attributes.owner': "it's.name"
				}
			}),
			{ format: 'ndjson' }
		);
		expect(c.ok).toBe(true);
		if (!c.ok) return;
		expect(c.select).toContain('`via` Tuple(`channel` Nullable(String))');
		expect(c.select).toContain("['mobile']");
		expect(c.select).toContain("tuple('owner'");
		// A value from the mapping file is a literal, never SQL.
		expect(c.select).toContain("'it\\'s'");
		expect(c.columns).toContain('reason');
	});

	it('declines what it cannot express, saying why (the JS path runs instead)', () => {
		const luxon = compileSqlMapping(
			parseMapping({ ...base, fields: { source_id: 'id', ts: { from: 'at', format: 'dd/MM/yyyy HH:mm' } } }),
			{ format: 'ndjson' }
		);
		expect(luxon).toEqual({ ok: false, why: 'ts: Luxon format "dd/MM/yyyy HH:mm" has no SQL equivalent' });
		const type = compileSqlMapping(
			parseMapping({ ...base, fields: { source_id: 'id', wait_s: { from: 'w', type: 'string' } } }),
			{ format: 'ndjson' }
		);
		expect(type.ok).toBe(false);
		const constant = compileSqlMapping(
			parseMapping({ ...base, constants: { csat_scale_max: '10' }, fields: { source_id: 'id' } }),
			{ format: 'ndjson' }
		);
		expect(constant.ok).toBe(false);
	});

	it('reads CSV fields by header position', () => {
		const c = compileSqlMapping(
			parseMapping({ ...base, format: 'csv', fields: { source_id: 'call id', ts: 'start' } }),
			{ format: 'csv', header: ['start', 'call id'] }
		);
		expect(c.ok && c.select).toContain('_f[2]');
		expect(c.ok && c.select).toContain("'expected 2 fields, found '");
	});
});
