import { describe, expect, it } from 'vitest';
import { sqlTemplate, SqlTemplateError } from '../../db/sql-template';

describe('sqlTemplate', () => {
	it('fills every literal part and leaves bound parameters alone', () => {
		const sql = 'SELECT {{bucket}}(ts) FROM {{source}} WHERE ts >= {from:DateTime64(3)} AND x IN {{source}}';
		expect(sqlTemplate(sql, { bucket: 'toStartOfWeek', source: 'kpi_daily' })).toBe(
			'SELECT toStartOfWeek(ts) FROM kpi_daily WHERE ts >= {from:DateTime64(3)} AND x IN kpi_daily'
		);
	});

	it('refuses a placeholder without a value', () => {
		expect(() => sqlTemplate('SELECT 1 FROM {{source}}', {})).toThrow(/\{\{source\}\} has no value/);
	});

	it('refuses a value without a placeholder (a misspelt name)', () => {
		expect(() => sqlTemplate('SELECT 1 FROM {{source}}', { source: 't', sorce: 'u' })).toThrow(SqlTemplateError);
	});

	it('does not read a value inserted by another part as a placeholder', () => {
		expect(sqlTemplate('{{a}} {{b}}', { a: '{{b}}', b: 'x' })).toBe('{{b}} x');
	});
});
