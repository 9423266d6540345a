/**
 * Why this exists: the alert tests deliver to real local servers, never a live service — an SMTP
 * server (the `smtp-server` package) that keeps every message it receives, and an HTTP webhook
 * receiver that keeps each body with its headers (or answers with a chosen failure status).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Mail {
	from: string;
	to: string[];
	raw: string;
}

export async function startSmtp(): Promise<{ port: number; mails: Mail[]; close: () => Promise<void> }> {
	const mails: Mail[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (c: Buffer) => chunks.push(c));
			stream.on('end', () => {
				mails.push({
					from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
					to: session.envelope.rcptTo.map((r) => r.address),
					raw: Buffer.concat(chunks).toString('utf8')
				});
				callback();
			});
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.server.address() as AddressInfo).port;
	return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface Hook {
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

export async function startReceiver(
	status = 200
): Promise<{ url: string; hooks: Hook[]; server: Server; close: () => Promise<void> }> {
	const hooks: Hook[] = [];
	const server = createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			hooks.push({ headers: req.headers, body });
			res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'failure');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}/hook/T000/B000/secretpath`,
		hooks,
		server,
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}
