// A ProConnect-like OpenID provider for Badgeons' tests, on panva's oidc-provider (the library
// ProConnect's federation runs on). What it copies from ProConnect: the /api/v2 prefix, ES256 ID
// tokens, signed (application/jwt) userinfo, client_secret_post only, ProConnect's scopes and acr
// values, the `claims` parameter, RP-initiated logout, no consent screen. Stricter: PKCE required.
//
//   node proconnect_like.mjs   env: PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS, POST_LOGOUT_REDIRECT_URIS
// Test API:  PUT /__test__/users/:sub  {claims…, "acr": "eidas1"}
// Login:     GET /interaction/:uid shows a form (field "sub", button "Se connecter").
import crypto from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';

const PORT = Number(process.env.PORT || 9402);
const PREFIX = '/api/v2';
const HOST = process.env.HOST || '127.0.0.1';
const ISSUER = `http://${HOST}:${PORT}${PREFIX}`;
const users = new Map();

const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const jwks = { keys: [{ ...ec.export({ format: 'jwk' }), use: 'sig', alg: 'ES256', kid: 'pc-es256' }] };

// ProConnect's scope → claims table.
const CLAIMS = {
  openid: ['sub'], given_name: ['given_name'], usual_name: ['usual_name'], email: ['email'],
  uid: ['uid'], siret: ['siret'], siren: ['siren'], idp_id: ['idp_id'],
  organization_label: ['organization_label'], roles: ['roles'], phone: ['phone_number'],
  amr: null,
};
const ACR_VALUES = ['eidas0', 'eidas1', 'eidas2', 'eidas3', 'https://proconnect.gouv.fr/assurance/certification-dirigeant'];

const provider = new Provider(ISSUER, {
  clients: [{
    client_id: process.env.CLIENT_ID || 'badgeons',
    client_secret: process.env.CLIENT_SECRET || 'a-test-secret-long-enough-for-hs256-0123456789',
    redirect_uris: (process.env.REDIRECT_URIS || 'http://127.0.0.1:5000/connexion/proconnect/retour').split(' '),
    post_logout_redirect_uris: (process.env.POST_LOGOUT_REDIRECT_URIS || 'http://127.0.0.1:5000/deconnexion/proconnect/retour').split(' '),
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'ES256',
    userinfo_signed_response_alg: 'ES256',
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  jwks,
  claims: CLAIMS,
  scopes: Object.keys(CLAIMS).filter((scope) => CLAIMS[scope]),
  acrValues: ACR_VALUES,
  extraParams: ['idp_hint', 'siret_hint'],
  pkce: { methods: ['S256'], required: () => true },
  features: {
    devInteractions: { enabled: false },
    claimsParameter: { enabled: true },
    jwtUserinfo: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      // Confirm at once, as a test cannot click: the form posts itself.
      logoutSource: async (ctx, form) => {
        const confirmed = form.replace('</form>', '<input type="hidden" name="logout" value="yes"/></form>');
        ctx.body = `<!doctype html><body onload="document.forms[0].submit()">${confirmed}</body>`;
      },
    },
  },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  findAccount: async (ctx, sub) => ({
    accountId: sub,
    claims: async () => {
      const { acr, ...claims } = users.get(sub) || { email: sub };
      return { sub, ...claims };
    },
  }),
  // No consent screen, like ProConnect: every requested scope and claim is granted.
  loadExistingGrant: async (ctx) => {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope(ctx.oidc.params.scope);
    grant.addOIDCClaims(Array.from(ctx.oidc.requestParamClaims || []));
    await grant.save();
    return grant;
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  renderError: async (ctx, out) => { ctx.type = 'json'; ctx.body = out; },
});

const callback = provider.callback();
const readBody = (req) => new Promise((resolve) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => resolve(body));
});

function loginPage(uid, clientId) {
  return `<!doctype html><html lang="fr"><title>ProConnect (test)</title><h1>ProConnect (test)</h1>
<p>Service : ${clientId}</p>
<form method="post" action="/interaction/${uid}/login"><label>Identifiant <input name="sub" placeholder="sub" required autofocus></label>
<button type="submit">Se connecter</button></form></html>`;
}

async function handle(req, res) {
  const url = new URL(req.url, `http://${req.headers.host}`);
  if (req.method === 'PUT' && url.pathname.startsWith('/__test__/users/')) {
    users.set(decodeURIComponent(url.pathname.slice('/__test__/users/'.length)), JSON.parse(await readBody(req)));
    res.writeHead(204).end();
    return;
  }
  const interaction = url.pathname.match(/^\/interaction\/([\w-]+)(\/login)?$/);
  if (interaction && req.method === 'GET') {
    const details = await provider.interactionDetails(req, res);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(interaction[1], details.params.client_id));
    return;
  }
  if (interaction && interaction[2] && req.method === 'POST') {
    const sub = new URLSearchParams(await readBody(req)).get('sub');
    const user = users.get(sub) || {};
    await provider.interactionFinished(req, res,
      { login: { accountId: sub, acr: user.acr || 'eidas1', amr: ['pwd'] } }, { mergeWithLastSubmission: false });
    return;
  }
  if (url.pathname === PREFIX || url.pathname.startsWith(`${PREFIX}/`)) {
    req.originalUrl = req.url;
    req.url = req.url.slice(PREFIX.length) || '/';
    callback(req, res);
    return;
  }
  res.writeHead(404).end('not found');
}

http.createServer((req, res) => handle(req, res).catch((error) => {
  res.writeHead(500, { 'content-type': 'text/plain' }).end(String((error && error.stack) || error));
})).listen(PORT, '127.0.0.1', () => console.log(`ProConnect-like issuer ${ISSUER}`));
