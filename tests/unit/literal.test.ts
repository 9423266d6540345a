import { describe, expect, it } from 'vitest';
import { LiteralError, parseType, stringLiteral, writeLiteral, writeParams } from '../../db/literal';
import { unbound } from '../../db/pool';

describe('writeLiteral', () => {
	it('writes a String as a quoted literal with backslash, quote and control characters escaped', () => {
		expect(writeLiteral('String', "it's")).toBe("'it\\'s'");
		expect(writeLiteral('String', 'a\\b')).toBe("'a\\\\b'");
		expect(writeLiteral('String', 'x\ny\u0000z\u007f')).toBe("'x\\x0ay\\x00z\\x7f'");
		expect(writeLiteral('String', 'über 中文 😀')).toBe("'über 中文 😀'");
		expect(stringLiteral("\\'")).toBe("'\\\\\\''");
	});

	it('casts every other type to the declared one', () => {
		expect(writeLiteral('UInt32', 50)).toBe("_CAST(50, 'UInt32')");
		expect(writeLiteral('Int64', '-9223372036854775808')).toBe("_CAST(-9223372036854775808, 'Int64')");
		expect(writeLiteral('UInt64', 18446744073709551615n)).toBe("_CAST(18446744073709551615, 'UInt64')");
		expect(writeLiteral('Float64', 0.1)).toBe("_CAST(0.1, 'Float64')");
		expect(writeLiteral('Float64', -1e-7)).toBe("_CAST(-1e-7, 'Float64')");
		expect(writeLiteral('Date', '2024-02-29')).toBe("_CAST('2024-02-29', 'Date')");
		expect(writeLiteral('Date', new Date('2024-02-29T00:00:00Z'))).toBe("_CAST('2024-02-29', 'Date')");
		expect(writeLiteral('DateTime64(3)', new Date('2024-02-29T10:11:12.345Z'))).toBe(
			"_CAST('2024-02-29 10:11:12.345', 'DateTime64(3)')"
		);
		expect(writeLiteral('DateTime', '2024-02-29')).toBe("_CAST('2024-02-29 00:00:00', 'DateTime')");
		expect(writeLiteral('Bool', true)).toBe("_CAST(true, 'Bool')");
		expect(writeLiteral('Array(String)', ['a', "b'"])).toBe("_CAST(['a', 'b\\''], 'Array(String)')");
		expect(writeLiteral('Array(Date)', [])).toBe("_CAST([], 'Array(Date)')");
		expect(writeLiteral(' Array( UInt32 ) '.trim(), [1, 2])).toBe("_CAST([1, 2], 'Array(UInt32)')");
	});

	it.each([
		['UInt8', 256, /out of range/],
		['UInt32', -1, /out of range/],
		['Int8', -129, /out of range/],
		['UInt32', 1.5, /not a safe integer/],
		['UInt64', 2 ** 60, /not a safe integer/],
		['UInt32', '1 OR 1=1', /not an integer/],
		['Float64', Number.NaN, /finite/],
		['Float64', Infinity, /finite/],
		['Float32', 0.1, /32 bits/],
		['Float64', '1', /finite/],
		['String', 5, /not a string/],
		['String', '\ud800', /lone surrogate/],
		['Date', '2023-02-29', /YYYY-MM-DD/],
		['Date', "2024-01-01' OR 1", /YYYY-MM-DD/],
		['Date', '1969-12-31', /outside/],
		['Date', new Date('2024-01-01T01:00:00Z'), /midnight/],
		['DateTime', '2024-01-01 24:00:00', /hh:mm:ss/],
		['DateTime', '2024-01-01 10:00:00.5', /more precise/],
		['DateTime64(3)', '2024-01-01 10:00:00.1234', /more precise/],
		['Bool', 1, /boolean/],
		['Array(String)', 'a', /not an array/],
		['Array(UInt8)', [1, 300], /out of range/]
	])('refuses %s %j', (type, value, why) => {
		expect(() => writeLiteral(type, value)).toThrow(LiteralError);
		expect(() => writeLiteral(type, value)).toThrow(why);
	});

	it.each(['Nullable(String)', 'Decimal(10,2)', "DateTime64(3, 'UTC')", 'Map(String,String)', "String') --"])(
		'refuses the type %s',
		(type) => expect(() => parseType(type)).toThrow(LiteralError)
	);
});

describe('writeParams', () => {
	it('fills each placeholder with its typed literal', () => {
		expect(
			writeParams('SELECT * FROM t WHERE d >= {from:Date} AND c IN {channels:Array(String)} LIMIT {n: UInt32}', {
				from: '2024-01-01',
				channels: ['phone'],
				n: 5
			})
		).toBe(
			"SELECT * FROM t WHERE d >= _CAST('2024-01-01', 'Date') AND c IN _CAST(['phone'], 'Array(String)') LIMIT _CAST(5, 'UInt32')"
		);
	});

	it('leaves placeholders in strings, quoted names and comments alone, as ClickHouse does', () => {
		const sql =
			"SELECT '{a:String}', `{a:String}`, \"x\" -- {a:String}\n/* {a:String} */ , {a:String}, 'it''s {a:String}'";
		expect(writeParams(sql, { a: 'v' })).toBe(
			"SELECT '{a:String}', `{a:String}`, \"x\" -- {a:String}\n/* {a:String} */ , 'v', 'it''s {a:String}'"
		);
	});

	it('does not read a written value as a placeholder', () => {
		expect(writeParams('SELECT {a:String}, {b:String}', { a: '{b:String}', b: 'x' })).toBe("SELECT '{b:String}', 'x'");
	});

	it('refuses a placeholder without a value and names the parameter of a refused value', () => {
		expect(() => writeParams('SELECT {a:String}', {})).toThrow(/\{a:String\} has no value/);
		expect(() => writeParams('SELECT {n:UInt8}', { n: 999 })).toThrow(/query parameter n: .*out of range/);
	});

	it('leaves a query without bound values as it is', () => {
		const p = { query: 'SELECT {a:String}', query_params: {} };
		expect(unbound(p)).toBe(p);
		expect(unbound({ query: 'SELECT {a:String}', query_params: { a: 'x' } })).toEqual({
			query: "SELECT 'x'",
			query_params: undefined
		});
	});
});
