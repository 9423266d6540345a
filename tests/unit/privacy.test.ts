import { describe, expect, it } from 'vitest';
import { maskEmail, maskHandle, maskName, maskPhone, maskText } from '../../src/lib/privacy/mask';
import { hashPassword, verifyPassword } from '../../src/lib/server/auth/password';

describe('PII masking', () => {
	it.each([
		['Wei Zhang', 'W•• Z••••'],
		['张伟', '张•'],
		['  Ann   Lee ', 'A•• L••'],
		['', '']
	])('name %j → %j', (v, out) => expect(maskName(v)).toBe(out));

	it.each([
		['jane.doe@example.com', 'j•••@e•••.com'],
		['x@qq.com', 'x•••@q•••.com'],
		['not-an-email', '•••'],
		['', '']
	])('email %j → %j', (v, out) => expect(maskEmail(v)).toBe(out));

	it.each([
		['+86 138 0013 8000', '•••• 8000'],
		['(415) 555-0100', '•••• 0100'],
		['123', '••••'],
		['', '']
	])('phone %j → %j', (v, out) => expect(maskPhone(v)).toBe(out));

	it('masks handles', () => expect(maskHandle('@janedoe')).toBe('@j••••••'));

	it('masks emails, phone and card numbers inside text, and leaves dates, amounts and ids alone', () => {
		const text =
			'Call me on +1 (415) 555-0100 or 13800138000, mail jane.doe@example.com; card 4111 1111 1111 1111 was charged 129.99 on 2026-11-02, order #58213.';
		const masked = maskText(text);
		expect(masked).not.toMatch(/555-0100|13800138000|jane\.doe|4111 1111/);
		expect(masked).toContain('[phone •••• 0100]');
		expect(masked).toContain('[phone •••• 8000]');
		expect(masked).toContain('j•••@e•••.com');
		expect(masked).toContain('[card •••• 1111]');
		expect(masked).toContain('129.99 on 2026-11-02, order #58213.');
	});

	it('masks Chinese text with a mobile number', () => {
		expect(maskText('我的电话是13912345678，快递还没到')).toBe('我的电话是[phone •••• 5678]，快递还没到');
	});
});

describe('passwords', () => {
	it('hashes with a per-password salt and verifies only the right password', async () => {
		const a = await hashPassword('correct horse battery');
		const b = await hashPassword('correct horse battery');
		expect(a).toMatch(/^scrypt\$131072\$8\$1\$/);
		expect(a).not.toBe(b);
		expect(await verifyPassword('correct horse battery', a)).toBe(true);
		expect(await verifyPassword('correct horse batterY', a)).toBe(false);
		expect(await verifyPassword('x', 'not a hash')).toBe(false);
	});
});

describe('PII masking the probe got past', () => {
	it.each([
		['full-width digits', '电话１３９１２３４５６７８谢谢', '电话[phone •••• 5678]谢谢'],
		['full-width ＠', 'mail ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ now', 'mail j•••@e•••.com now'],
		['spaced dashes', 'call (555) 010 - 9999 today', 'call [phone •••• 9999] today'],
		['slashes', 'call 555/010/9999 today', 'call [phone •••• 9999] today'],
		['spelled-out email', 'write to jane dot doe at example dot com please', 'write to j•••@e•••.com please'],
		['bracketed email', 'jane.doe [at] example [dot] com', 'j•••@e•••.com'],
		['spaced @', 'jane.doe @ example.com', 'j•••@e•••.com']
	])('%s: %j → %j', (_, text, out) => expect(maskText(text)).toBe(out));

	it('leaves ordinary sentences, dates and amounts alone', () => {
		const text = 'I was at home. Delivered on 2026/11/02, paid 1,299.00; see you at 10 dot 30.';
		expect(maskText(text)).toBe(text);
		expect(maskText('Mail jane@example.com. Next week')).toBe('Mail j•••@e•••.com. Next week');
		// Sentences the spelled-out forms must not take for addresses (seen in real complaints and tweets).
		for (const t of ['Redcard members only at Target.com at 7 AM', 'everything else from 1982 - 2017 is there'])
			expect(maskText(t)).toBe(t);
		expect(maskText('jane.doe at example.com')).toBe('j•••@e•••.com');
		expect(maskText('jane at example dot com')).toBe('j•••@e•••.com');
		// A shop's address spelled out in a sentence is not a mailbox; a person's still is.
		for (const t of [
			'I bought it at Target dot com last week',
			'Order online at Target dot com',
			'only available at Target dot com',
			'I shop at TARGET DOT COM'
		])
			expect(maskText(t)).toBe(t);
		expect(maskText('I bought it at Target dot com, mail jane at target dot com')).toBe(
			'I bought it at Target dot com, mail j•••@t•••.com'
		);
		expect(maskText('reach jane dot doe at target dot com')).toBe('reach j•••@t•••.com');
	});

	it("masks a customer's own name in their words, whole words only, any case and script", () => {
		expect(maskText('Hi, this is JANE Doe (jane). Janet from support helped.', ['Jane Doe'])).toBe(
			'Hi, this is J••• D•• (j•••). Janet from support helped.'
		);
		expect(maskText('我是张伟，订单没到', ['张伟'])).toBe('我是张•，订单没到');
		expect(maskText('nothing to hide', ['', '  '])).toBe('nothing to hide');
		expect(maskText('a+b (x) [y]', ['a+b', '(x)'])).toBe('a•• (•• [y]'); // regex characters in names are literal
	});
});
