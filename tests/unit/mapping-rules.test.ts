/**
 * The mapping language's computed fields (rule-plan.ts, map-record.ts) and the checks that refuse
 * a mapping before a row is loaded (check-mapping.ts). The SQL path's agreement with these is
 * tested on real files in tests/integration/sql-path.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { columnProblems, mappingProblems, nearest } from '../../ingest/mapping/check-mapping';
import { mapRecord } from '../../ingest/mapping/map-record';
import { parseMapping } from '../../ingest/mapping/mapping-file';
import { MappingSchema } from '../../schemas/mapping';

const customers = parseMapping({
	name: 'bank',
	entity: 'customer',
	format: 'csv',
	fields: {
		customer_id: { from: 'CustomerId', prefix: 'bank-' },
		account_opened: { date: '2019-06-30', minus: { years: 'Tenure' } },
		status: { if: { from: 'Exited', is: { '=': 1 } }, then: 'churned', else: 'active' },
		'attributes.older': { from: 'Age', type: 'number', is: { '>=': 60 } },
		'attributes.months_left': { from: 'End', minus: 'Start', type: 'date', unit: 'days' }
	}
});

const orders = parseMapping({
	name: 'shop',
	entity: 'order',
	format: 'csv',
	fields: {
		order_id: 'id',
		customer_id: 'cust',
		ts: 'bought',
		amount: 'amt',
		'attributes.late': { from: 'delivered', type: 'datetime', is: { '>': { field: 'estimated' } } },
		'attributes.delivery_days': { from: 'delivered', minus: 'bought', unit: 'days' },
		'attributes.due': { from: 'bought', plus: { days: 30, hours: 12 } }
	}
});

describe('computed fields', () => {
	it('move a fixed date back by a number of years read from the record, prefix ids, branch on a test', () => {
		const r = mapRecord(customers, {
			CustomerId: '15634602',
			Tenure: '2',
			Exited: '1',
			Age: '61',
			Start: '2024-01-01',
			End: '2024-03-01'
		});
		expect(r).toMatchObject({
			ok: true,
			value: {
				customer_id: 'bank-15634602',
				account_opened: '2017-06-30',
				status: 'churned',
				attributes: { older: 'true', months_left: '60' }
			}
		});
		const active = mapRecord(customers, { CustomerId: '7', Tenure: '0', Exited: '0', Age: '30' });
		expect(active).toMatchObject({
			ok: true,
			value: { account_opened: '2019-06-30', status: 'active', attributes: { older: 'false' } }
		});
	});

	it('compare two times to yes/no, subtract times in a unit, add a span to a time', () => {
		const r = mapRecord(orders, {
			id: 'o1',
			cust: 'c1',
			amt: '10',
			bought: '2018-01-01 10:00:00',
			delivered: '2018-01-11 22:00:00',
			estimated: '2018-01-10 00:00:00'
		});
		expect(r).toMatchObject({
			ok: true,
			value: {
				ts: '2018-01-01T10:00:00.000Z',
				attributes: { late: 'true', delivery_days: '10.5', due: '2018-01-31T22:00:00.000Z' }
			}
		});
	});

	it('leave a computed value empty when an input is empty, and refuse one that is not of its type', () => {
		const empty = mapRecord(orders, { id: 'o2', cust: 'c1', amt: '5', bought: '2018-01-01 10:00:00', delivered: '' });
		expect(empty.ok && empty.value.attributes).toEqual({ due: '2018-01-31T22:00:00.000Z' });
		const bad = mapRecord(customers, { CustomerId: '8', Tenure: 'two', Exited: '0' });
		expect(bad).toEqual({ ok: false, reason: 'account_opened: "two" is not a whole number' });
	});
});

describe('mapping checks', () => {
	it('name an unknown canonical field and the nearest valid one', () => {
		const m = MappingSchema.parse({
			name: 'x',
			entity: 'interaction',
			format: 'csv',
			fields: { source_id: 'id', txt: 'body', chanel: 'ch' },
			constants: { langauge: 'en' }
		});
		expect(mappingProblems(m)).toEqual([
			'fields.txt: unknown field "txt" for interaction records — did you mean "text"?',
			'fields.chanel: unknown field "chanel" for interaction records — did you mean "channel"?',
			'constants.langauge: unknown field "langauge" for interaction records — did you mean "language"?'
		]);
		expect(() => parseMapping(m)).toThrow('did you mean "text"?');
	});

	it('refuse rules whose type cannot work, saying why', () => {
		const problems = (fields: Record<string, unknown>) =>
			mappingProblems(MappingSchema.parse({ name: 'x', entity: 'customer', format: 'csv', fields }));
		expect(problems({ customer_id: 'id', account_opened: { from: 'opened', minus: { hours: 3 } } })).toEqual([
			'fields.account_opened: a date moves by years, months, weeks or days'
		]);
		expect(problems({ customer_id: 'id', lifetime_value: { from: 'v', prefix: '$' } })).toEqual([
			'fields.lifetime_value: prefix and suffix add text to text, not to number values'
		]);
		expect(problems({ customer_id: 'id', status: { from: 'a', is: { '<': 'x' } } })).toEqual([
			'fields.status: texts compare with = or != only'
		]);
		expect(problems({ customer_id: 'id', account_opened: { date: 'last year', minus: { years: 1 } } })).toEqual([
			'fields.account_opened: "last year" is not a valid date'
		]);
		expect(problems({ customer_id: 'id', revenue: { from: 'r', is: { '>': 0 } } })).toEqual([
			'fields.revenue: this rule gives boolean values, but revenue is a number field'
		]);
	});

	it('refuse a lookup or default that names a value the field cannot hold', () => {
		const m = MappingSchema.parse({
			name: 'x',
			entity: 'interaction',
			format: 'csv',
			fields: {
				source_id: 'id',
				channel: { from: 'via', map: { Web: 'web', Fax: 'fax' }, default: 'other' },
				outcome: { from: 'o', map: { done: 'resolved', open: '' }, default: 'solved' }
			}
		});
		expect(mappingProblems(m)).toEqual([
			expect.stringMatching(
				/^fields\.channel: map gives "fax" for "Fax", but channel takes one of phone, chat, .*, other$/
			),
			expect.stringMatching(/^fields\.outcome: default is "solved", but outcome takes one of resolved, /)
		]);
	});

	it('name a column the file lacks and the nearest one it has', () => {
		const m = parseMapping({
			name: 'x',
			entity: 'interaction',
			format: 'csv',
			fields: { source_id: 'tweet_id', ts: 'created', text: 'body' }
		});
		expect(columnProblems(m, { file: 'twcs.csv', format: 'csv', columns: ['tweet_id', 'created_at', 'text'] })).toEqual(
			[
				'fields.ts: column "created" is not in twcs.csv (columns: tweet_id, created_at, text; nearest: "created_at")',
				'fields.text: column "body" is not in twcs.csv (columns: tweet_id, created_at, text)'
			]
		);
	});

	it('find the nearest name by edits, or by one name holding the other', () => {
		expect(nearest('txt', ['text', 'team', 'tier'])).toBe('text');
		expect(nearest('tweet_text', ['text', 'ts'])).toBe('text');
		expect(nearest('langauge', ['language', 'agent'])).toBe('language');
		expect(nearest('at', ['id', 'when', 'ch'])).toBeUndefined();
		expect(nearest('zzzz', [])).toBeUndefined();
	});
});
