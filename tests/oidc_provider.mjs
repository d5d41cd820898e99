// A real OpenID Connect provider for the browser tests: panva's `oidc-provider`
// (the certified Node implementation, a devDependency in package.json), run on
// 127.0.0.1 by tests/oidc_provider.py. Only the sign-in page is ours: the
// package's own development pages are switched off, so the person's e-mail
// address and password are checked here against the one account the test set up.
//
// Configuration comes from the OIDC_TEST_CONFIG environment variable (JSON):
//   {"client_id", "client_secret", "redirect_uris": [...],
//    "account": {"sub", "email", "password", "given_name", "family_name"},
//    "token_endpoint_down": false}
// With "token_endpoint_down" the token endpoint drops every connection: the provider
// stops answering half-way, after the person has signed in on its page.
// Once listening on a free port it prints one line of JSON: {"issuer": "http://127.0.0.1:PORT"}.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_TEST_CONFIG);
const { account } = config;

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res, status, title, body) {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`);
}

function signInForm(uid, error = '') {
  return `${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<p><label for="email">E-mail address</label> <input id="email" name="email" type="email" required></p>
<p><label for="password">Password</label> <input id="password" name="password" type="password" required></p>
<p><button type="submit">Sign in to Example ID</button></p>
</form>`;
}

async function formData(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const server = createServer();

server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

  const provider = new Provider(issuer, {
    clients: [{
      client_id: config.client_id,
      client_secret: config.client_secret,
      redirect_uris: config.redirect_uris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      // allauth sends the secret in the token request's body when the server offers that.
      token_endpoint_auth_method: 'client_secret_post',
    }],
    jwks: { keys: [{ ...signingKey, use: 'sig', alg: 'RS256', kid: 'test' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'given_name', 'family_name'] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, id) {
      if (id !== account.sub) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: account.sub,
          email: account.email,
          email_verified: true,
          name: `${account.given_name} ${account.family_name}`,
          given_name: account.given_name,
          family_name: account.family_name,
        }),
      };
    },
    // The site is this provider's own first-party client: no consent page, the grant is made at once.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });

  async function interaction(req, res) {
    const [, , uid, action] = new URL(req.url, issuer).pathname.split('/');
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) return page(res, 400, 'Sign-in expired', '<p>Start again from the site.</p>');
    if (req.method === 'POST' && action === 'login') {
      const form = await formData(req);
      if (form.get('email') !== account.email || form.get('password') !== account.password) {
        return page(res, 200, 'Sign in to Example ID', signInForm(uid, 'Wrong e-mail address or password.'));
      }
      return provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
    }
    return page(res, 200, 'Sign in to Example ID', signInForm(uid));
  }

  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (config.token_endpoint_down && req.url.startsWith('/token')) {
      req.socket.destroy();
    } else if (req.url.startsWith('/interaction/')) {
      interaction(req, res).catch((error) => page(res, 500, 'Error', `<p>${escape(error.message)}</p>`));
    } else {
      callback(req, res);
    }
  });
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
