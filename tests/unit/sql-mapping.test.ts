import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CANONICAL, CANONICAL_TYPES, describeEntity } from '../../ingest/mapping/canonical';
import { parseMapping } from '../../ingest/mapping/mapping-file';
import { compileSqlMapping } from '../../ingest/mapping/sql/compile';
import { sqlString } from '../../ingest/mapping/sql/literal';

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
		// What neither path could load is refused before either runs (check-mapping.ts).
		expect(() => parseMapping({ ...base, fields: { source_id: 'id', wait_s: { from: 'w', type: 'string' } } })).toThrow(
			'fields.wait_s: this rule gives string values, but wait_s is a number field (leave out type: string)'
		);
		expect(() => parseMapping({ ...base, constants: { csat_scale_max: '10' }, fields: { source_id: 'id' } })).toThrow(
			'constants.csat_scale_max: Invalid input: expected number, received string (got "10")'
		);
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

describe('canonical field rules', () => {
	it("are read from the zod schemas: types, defaults, limits, options and zod's words", () => {
		// The non-string types mappings rely on without declaring `type`.
		const nonString = (entity: keyof typeof CANONICAL_TYPES) =>
			Object.fromEntries(Object.entries(CANONICAL_TYPES[entity]).filter(([, t]) => t !== 'string'));
		expect(nonString('interaction')).toEqual({
			ts: 'datetime',
			is_complaint: 'boolean',
			fcr: 'boolean',
			wait_s: 'number',
			handle_s: 'number',
			first_response_s: 'number',
			csat: 'number',
			csat_scale_min: 'number',
			csat_scale_max: 'number',
			nps: 'integer',
			sentiment: 'number'
		});
		expect(nonString('customer')).toEqual({
			account_opened: 'date',
			churn_date: 'date',
			lifetime_value: 'number',
			revenue: 'number'
		});
		expect(nonString('order')).toEqual({ ts: 'datetime', amount: 'number', items: 'integer' });
		const field = (name: string) => CANONICAL.interaction.fields.find((f) => f.name === name)!;
		expect(field('source_id')).toMatchObject({
			default: undefined,
			trim: true,
			missing: 'Invalid input: expected string, received undefined',
			checks: [
				{ rule: 'max_length', value: 256, message: 'Too big: expected string to have <=256 characters' },
				{ rule: 'min_length', value: 1, message: 'Too small: expected string to have >=1 characters' }
			]
		});
		expect(field('scenario')).toMatchObject({ default: '', trim: false, checks: [{ rule: 'option', aborts: true }] });
		expect(field('nps').checks.map((c) => [c.rule, c.aborts])).toEqual([
			['integer', true],
			['max', false],
			['min', false],
			['min', false],
			['max', false]
		]);
		expect(CANONICAL.interaction.refinements).toEqual([{ field: 'csat', message: 'csat is outside its scale' }]);
		for (const entity of Object.values(CANONICAL))
			expect([entity.unsupported, ...entity.fields.map((f) => f.unsupported)].filter(Boolean)).toEqual([]);
	});

	it('mark what they cannot describe, so the SQL path declines instead of checking less', () => {
		const d = describeEntity(
			z
				.object({ email: z.email(), code: z.string().regex(/^[A-Z]+$/), n: z.number().multipleOf(5), ok: z.string() })
				.refine(() => true)
		);
		expect(d.fields.map((f) => f.unsupported)).toEqual([
			expect.stringMatching(/^email: /),
			expect.stringMatching(/^code: /),
			expect.stringMatching(/^n: /),
			undefined
		]);
		expect(d.refinements).toEqual([]);
		expect(d.unsupported).toMatch(/whole record/);
	});

	it('compile into the SELECT with their messages', () => {
		const c = compileSqlMapping(parseMapping({ ...base, fields: { source_id: 'id', ts: 'at', channel: 'ch' } }), {
			format: 'ndjson'
		});
		expect(c.ok && c.select).toContain("'source_id: Too small: expected string to have >=1 characters'");
		expect(c.ok && c.select).toContain("'csat: csat is outside its scale'");
	});
});
