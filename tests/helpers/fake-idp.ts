/**
 * Why this exists: a tiny OpenID Connect provider on 127.0.0.1 for the single sign-on test —
 * discovery, JWKS, an authorize endpoint that signs the configured person in at once, and a token
 * endpoint that checks the PKCE verifier and returns an RS256-signed ID token (signed with `jose`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

export interface FakeIdp {
	issuer: string;
	clientId: string;
	clientSecret: string;
	/** Who the next sign-in is. */
	person: { email: string; name: string; role?: string };
	close(): Promise<void>;
}

export async function startFakeIdp(): Promise<FakeIdp> {
	const { publicKey, privateKey } = await generateKeyPair('RS256');
	const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
	const codes = new Map<string, { challenge: string; nonce: string; redirect: string }>();
	const idp: FakeIdp = {
		issuer: '',
		clientId: 'touchmap-test',
		clientSecret: 'test-secret',
		person: { email: 'sso.user@example.com', name: 'SSO User' },
		close: () => new Promise((ok) => server.close(() => ok()))
	};
	const server: Server = createServer(async (req, res) => {
		const url = new URL(req.url ?? '/', idp.issuer);
		const json = (status: number, body: unknown) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		if (url.pathname === '/.well-known/openid-configuration')
			return json(200, {
				issuer: idp.issuer,
				authorization_endpoint: `${idp.issuer}/authorize`,
				token_endpoint: `${idp.issuer}/token`,
				jwks_uri: `${idp.issuer}/jwks`,
				response_types_supported: ['code'],
				subject_types_supported: ['public'],
				id_token_signing_alg_values_supported: ['RS256'],
				code_challenge_methods_supported: ['S256'],
				token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post']
			});
		if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
		if (url.pathname === '/authorize') {
			const code = randomBytes(12).toString('hex');
			const redirect = url.searchParams.get('redirect_uri') ?? '';
			codes.set(code, {
				challenge: url.searchParams.get('code_challenge') ?? '',
				nonce: url.searchParams.get('nonce') ?? '',
				redirect
			});
			const back = new URL(redirect);
			back.searchParams.set('code', code);
			back.searchParams.set('state', url.searchParams.get('state') ?? '');
			res.writeHead(302, { location: back.href });
			return res.end();
		}
		if (url.pathname === '/token' && req.method === 'POST') {
			let body = '';
			for await (const chunk of req) body += chunk;
			const form = new URLSearchParams(body);
			const grant = codes.get(form.get('code') ?? '');
			const verifier = form.get('code_verifier') ?? '';
			const challenge = createHash('sha256').update(verifier).digest('base64url');
			if (!grant || grant.challenge !== challenge || grant.redirect !== form.get('redirect_uri'))
				return json(400, { error: 'invalid_grant' });
			codes.delete(form.get('code')!);
			const idToken = await new SignJWT({
				email: idp.person.email,
				email_verified: true,
				name: idp.person.name,
				nonce: grant.nonce,
				...(idp.person.role ? { touchmap_role: idp.person.role } : {})
			})
				.setProtectedHeader({ alg: 'RS256', kid: 'k1' })
				.setIssuer(idp.issuer)
				.setAudience(idp.clientId)
				.setSubject(idp.person.email)
				.setIssuedAt()
				.setExpirationTime('5m')
				.sign(privateKey);
			return json(200, { access_token: 'at', token_type: 'Bearer', expires_in: 300, id_token: idToken });
		}
		json(404, { error: 'not_found' });
	});
	await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
	idp.issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
	return idp;
}
