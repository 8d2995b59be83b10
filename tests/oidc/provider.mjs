// A real OpenID Provider for the tests: oidc-provider (certified by the OpenID Foundation),
// configured by a JSON file the test writes (argv[2]):
//   { "clients": [{ "client_id", "client_secret", "redirect_uris", "backchannel_logout_uri"? }],
//     "accounts": { "<login>": { "name", "email", "organisation", "groups", … } } }
// It listens on a free port of 127.0.0.1 and prints `ready <issuer>` when it serves.
//
// The sign-in page is a plain form (field `login`: the account's name, no password): the
// provider's own protocol (authorisation, PKCE, tokens, keys, logout) is what is tested.
// One test hook, POST /test/tamper {"kind": …}, rewrites the id_token of the next token
// response as an attacker between the parties would (expired, signed with another key, for
// another audience, from another issuer, with another nonce), signed as the test asks; kind
// `rotated` instead has the provider rotate its keys: it publishes a new key and signs with it.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import * as jose from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const accounts = config.accounts;

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await jose.exportJWK(privateKey)), kid: 'test-1', alg: 'RS256', use: 'sig' };
const { privateKey: foreignKey } = await jose.generateKeyPair('RS256');
// A key the provider rotates to (published from the moment a test asks for `rotated`).
const { privateKey: nextKey, publicKey: nextPublic } = await jose.generateKeyPair('RS256');
const nextJwk = { ...(await jose.exportJWK(nextPublic)), kid: 'test-2', alg: 'RS256', use: 'sig' };
let rotated = false;

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) =>
  `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;

const provider = new Provider(issuer, {
  clients: config.clients.map((c) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...c,
  })),
  jwks: { keys: [signingJwk] },
  cookies: { keys: ['beslecht-test-provider'] },
  scopes: ['openid', 'email', 'profile', 'beslecht'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
    beslecht: ['organisation', 'groups'],
  },
  // Every claim of the granted scopes in the ID token itself.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  // The provider guards its outgoing requests against loopback addresses (SSRF); the
  // service under test is on loopback, so the back channel may reach it here.
  fetch: (url, options) => {
    const { dispatcher, ...rest } = options;
    return globalThis.fetch(url, rest);
  },
  features: {
    devInteractions: { enabled: false },
    backchannelLogout: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('Uitloggen', `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Uitloggen</button>`);
      },
    },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: async (ctx, id) =>
    accounts[id] && { accountId: id, claims: async () => ({ sub: id, email_verified: true, ...accounts[id] }) },
  ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
});

// The test hook: the next token response's id_token, rewritten.
let tamper = null;
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/jwks' && rotated && Array.isArray(ctx.body?.keys)) {
    ctx.body = { keys: [...ctx.body.keys, nextJwk] };
    return;
  }
  if (ctx.path !== '/token' || !tamper || ctx.status !== 200 || !ctx.body?.id_token) return;
  const kind = tamper;
  tamper = null;
  const claims = jose.decodeJwt(ctx.body.id_token);
  const now = Math.floor(Date.now() / 1000);
  let key = privateKey;
  let kid = 'test-1';
  if (kind === 'rotated') {
    key = nextKey;
    kid = 'test-2';
  } else if (kind === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  else if (kind === 'forged') key = foreignKey;
  else if (kind === 'audience') claims.aud = 'another-client';
  else if (kind === 'issuer') claims.iss = 'https://elsewhere.example';
  else if (kind === 'nonce') claims.nonce = 'not-the-nonce';
  else if (kind === 'unsigned') {
    ctx.body = { ...ctx.body, id_token: `${jose.base64url.encode(JSON.stringify({ alg: 'none' }))}.${jose.base64url.encode(JSON.stringify(claims))}.` };
    return;
  }
  const id_token = await new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
  ctx.body = { ...ctx.body, id_token };
});

const readBody = (req) =>
  new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });

const loginForm = (uid, error) =>
  page(
    'Inloggen bij de testprovider',
    `${error ? `<p role="alert">${escape(error)}</p>` : ''}<form method="post" action="/interaction/${uid}/login">` +
      `<label for="login">Account</label> <input id="login" name="login" autocomplete="username" required>` +
      `<button type="submit">Inloggen</button></form>`,
  );

const callback = provider.callback();
server.on('request', async (req, res) => {
  try {
    const url = new URL(req.url, issuer);
    if (req.method === 'POST' && url.pathname === '/test/tamper') {
      tamper = JSON.parse(await readBody(req)).kind;
      if (tamper === 'rotated') rotated = true;
      res.writeHead(204).end();
      return;
    }
    const m = url.pathname.match(/^\/interaction\/([^/]+)(\/login)?$/);
    if (!m) return callback(req, res);
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginForm(details.uid));
      return;
    }
    const login = new URLSearchParams(await readBody(req)).get('login') ?? '';
    if (!accounts[login]) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginForm(details.uid, 'Onbekend account'));
      return;
    }
    const grant = new provider.Grant({ accountId: login, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { login: { accountId: login }, consent: { grantId } }, { mergeWithLastSubmission: false });
  } catch (e) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e?.stack ?? e));
  }
});

console.log(`ready ${issuer}`);

// What the provider did, on its standard error (shown by a failing test).
for (const event of ['backchannel.error', 'backchannel.success', 'end_session.success', 'server_error']) {
  provider.on(event, (ctx, ...rest) => console.error(event, ...rest.map((r) => (r instanceof Error ? `${r.message} ${r.cause?.message ?? ''} ${r.cause?.code ?? ''}` : r?.clientId ?? r))));
}
