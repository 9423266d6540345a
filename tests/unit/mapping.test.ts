import { describe, expect, it } from 'vitest';
import { mapRecord } from '../../ingest/mapping/map-record';
import { parseMapping } from '../../ingest/mapping/mapping-file';

const mapping = parseMapping({
	name: 'calls',
	entity: 'interaction',
	format: 'csv',
	constants: { channel: 'phone', csat_scale_min: 1, csat_scale_max: 5 },
	fields: {
		source_id: 'id',
		ts: { from: 'when', format: 'dd/MM/yyyy HH:mm', timezone: 'Asia/Shanghai' },
		customer_id: { from: ['crm_id', 'phone'] },
		handle_s: { from: 'minutes', multiply: 60 },
		fcr: { from: 'disposition', map: { Resolved: true, Callback: false } },
		outcome: { from: 'disposition', map: { resolved: 'resolved', callback: 'unresolved' } },
		csat: 'survey',
		'attributes.queue': 'queue',
		text: 'notes.summary'
	}
});

describe('mapRecord', () => {
	it.each([
		[
			'converts a local time to UTC, units, lookups and nested fields',
			{
				id: '1',
				when: '03/11/2025 09:30',
				crm_id: '',
				phone: '+86 10 1234',
				minutes: '2.5',
				disposition: 'RESOLVED',
				survey: '4',
				queue: 'Billing',
				notes: { summary: '发票错误' }
			},
			{
				source: 'calls',
				source_id: '1',
				ts: '2025-11-03T01:30:00.000Z',
				customer_id: '+86 10 1234',
				handle_s: 150,
				fcr: true,
				outcome: 'resolved',
				csat: 4,
				attributes: { queue: 'Billing' },
				text: '发票错误'
			}
		],
		[
			'leaves unmapped lookups unset instead of inventing a value',
			{ id: '2', when: '03/11/2025 09:30', crm_id: 'c-9', disposition: 'Voicemail' },
			{ source_id: '2', customer_id: 'c-9', fcr: null, outcome: '' }
		]
	])('%s', (_title, raw, want) => {
		const r = mapRecord(mapping, raw);
		expect(r.ok).toBe(true);
		if (r.ok) expect(r.value).toMatchObject(want);
	});

	it.each([
		['missing id', { when: '03/11/2025 09:30' }, /^source_id: /],
		['bad date', { id: '3', when: '2025-11-03' }, /^ts: "2025-11-03" is not a valid datetime$/],
		['bad number', { id: '4', when: '03/11/2025 09:30', minutes: 'ten' }, /^handle_s: "ten" is not a number$/],
		['csat off scale', { id: '5', when: '03/11/2025 09:30', survey: '9' }, /^csat: csat is outside its scale$/]
	])('rejects %s with a reason', (_title, raw, reason) => {
		const r = mapRecord(mapping, raw);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.reason).toMatch(reason);
	});

	it('rejects a mapping with unknown keys or a bad name', () => {
		expect(() => parseMapping({ name: 'Bad Name', entity: 'interaction', format: 'csv', fields: {} })).toThrow();
		expect(() =>
			parseMapping({ name: 'x', entity: 'interaction', format: 'csv', fields: { a: { from: 'b', colour: 1 } } })
		).toThrow();
	});
});
