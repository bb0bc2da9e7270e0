import { mayHoldSecret, redactSource, SECRET_PATTERNS, type SecretHit } from '../../core/redact.ts';
import type { Confidence, FileRole } from '../../core/types.ts';
import { baseName } from '../dx/find-line.ts';
import { escapeEre, shellQuote } from '../dx/shell-quote.ts';
import type { RawFinding, RepoDetector } from '../types.ts';

const TYPE_NAMES: Record<string, string> = {
  'aws-access-key-id': 'AWS access key id',
  'aws-secret-access-key': 'AWS secret access key',
  'github-token': 'GitHub token',
  'slack-token': 'Slack token',
  'stripe-secret-key': 'Stripe secret key',
  'google-api-key': 'Google API key',
  'anthropic-api-key': 'Anthropic API key',
  'openai-api-key': 'OpenAI API key',
  'npm-token': 'npm token',
  'json-web-token': 'JSON Web Token',
  'private-key': 'private key',
  'connection-string-password': 'password in a connection string',
  'hardcoded-password': 'password or secret',
  'hardcoded-key': 'signing or encryption key',
  'session-secret': 'session secret',
  'env-secret': 'secret in an environment file',
};

/** grep -E patterns that match the credential TYPE (never a value), for doneChecks. */
const TYPE_ERE: Record<string, { ere: string; ignoreCase?: boolean }> = {
  'aws-access-key-id': { ere: '(AKIA|ASIA)[0-9A-Z]{16}' },
  'aws-secret-access-key': {
    ere: 'aws_?secret_?access_?key["\']?[[:space:]]*[:=][[:space:]]*["\']?[A-Za-z0-9/+=]{40}',
    ignoreCase: true,
  },
  'github-token': { ere: 'gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22}' },
  'slack-token': { ere: 'xox[abposr]-[A-Za-z0-9-]{10}' },
  'stripe-secret-key': { ere: '[sr]k_live_[0-9a-zA-Z]{20}' },
  'google-api-key': { ere: 'AIza[0-9A-Za-z_-]{35}' },
  'anthropic-api-key': { ere: 'sk-ant-[A-Za-z0-9_-]{20}' },
  'openai-api-key': { ere: 'sk-(proj-|svcacct-)?[A-Za-z0-9_-]{32}' },
  'npm-token': { ere: 'npm_[A-Za-z0-9]{36}' },
  'json-web-token': { ere: 'eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10}' },
  'private-key': { ere: '-----BEGIN [A-Z ]*PRIVATE KEY' },
  'hardcoded-key': {
    ere: '(create(Hmac|Cipheriv|Decipheriv)[(][[:space:]]*[\'"][A-Za-z0-9_-]+[\'"][[:space:]]*,|jwt[.](sign|verify|encode|decode)[(][^)\'"`]*,|hmac[.]new[(])[[:space:]]*b?[\'"][^\'"[:space:]]{8,}[\'"]',
  },
  // The line that holds the secret; with the session call on another line, only the key is there.
  'session-secret': {
    ere: '(secret[[:space:]]*:|cookieParser[(])[[:space:]]*([A-Za-z0-9_.]+[[:space:]]*([|][|]|[?][?])[[:space:]]*)?[\'"][^\'"]{6,}[\'"]',
  },
  'connection-string-password': {
    ere: '[a-z][a-z0-9+.-]*://[^:[:space:]/@"\']+:[^@[:space:]"\'/$<{]{3,}@',
    ignoreCase: true,
  },
};

const SCANNED_ROLES: ReadonlySet<FileRole> = new Set([
  'source',
  'config',
  'test',
  'example',
  'fixture',
  'docs',
]);
const LOW_ROLES: ReadonlySet<FileRole> = new Set(['test', 'example', 'fixture']);
const MAX_SIZE = 1_000_000;
const LOCKFILES =
  /^(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|poetry\.lock|uv\.lock|Pipfile\.lock|Cargo\.lock|go\.sum)$/;
/** Files where `NAME=value` lines are configuration, so the env-secret pattern applies. */
const ENV_STYLE = /(^\.env(\..+)?$|\.env$|^\.envrc$|\.(sh|bash|zsh|ini|properties|cfg|conf)$|^Dockerfile)/;
const ENV_FILE = /^\.env(\..+)?$|\.env$/;
const ENV_TEMPLATE = /^\.env\.(example|sample|template|dist|defaults?)$|\.env\.(example|sample|template)$/i;
/**
 * A file whose name says it shows the format with made-up values (MeshCentral's
 * `sample-config-advanced.json`, `config.example.yml`, `settings-template.json`): what a user copies
 * and fills in, like `.env.example`.
 */
const SAMPLE_FILE = /(?:^|[._-])(?:examples?|samples?|templates?)(?:[._-]|$)/i;
/** Names that say their value is not real: `FAKE_JWT`, `dummyToken`, `EXAMPLE_KEY`, `invalid_secret`. */
/** A date or an ISO 8601 time (`2025-08-11`, `2025-08-11T09:19:46Z`, `2025-08-11 09:19:46.123+02:00`). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const FAKE_NAME = /fake|dummy|example|sample|mock|bogus|invalid/i;
/**
 * A test double's module (Heat's `engine/clients/os/keystone/fake_keystoneclient.py`, whose
 * `FakeKeystoneClient(password='password', auth_token='abcd1234')` stands in for the real client
 * in tests): its credentials are made up for the tests that use it.
 */
const TEST_DOUBLE_FILE =
  /(?:^|\/)(?:fakes?|mocks?|stubs?|dummy)(?:[_-][^/]*)?\.\w+$|[_-](?:fakes?|mocks?|stubs?)\.\w+$/i;
/**
 * A module that imports a test library (Saltcorn's `auth/testhelp.js`: `require("supertest")`,
 * then logs in as the fixture users `admin@foo.com`): test support, whatever folder it is in.
 * Only an import at the top of the module counts: a server that loads `nock` inside a branch for
 * an offline demo mode is still the server.
 */
const TEST_LIBRARY_IMPORT =
  /^(?:(?:const|let|var)\s+[\w${}\s,:]+=\s*require\(\s*|import\s+(?:[\w${}\s,*]+\s+from\s*)?)['"](supertest|chai|sinon|mocha|vitest|jest|@jest\/globals|node:test|nock|ava|tap|@testing-library\/[\w-]+)['"]/m;
/**
 * A key file named or kept for tests (mailman's `testing/ssl_test_key.key`, `snakeoil.key`,
 * `test/certs/server.key`): a throwaway key that test servers use, not a deployed one.
 */
const TEST_KEY_FILE =
  /(?:^|\/)(?:testing|tests?|test[_-]?data|certs?[_-]?test)\/|(?:^|[/_.-])(?:test|tests|testing|example|sample|dummy|fake|mock|snakeoil|selfsigned|self-signed)(?:[_.-][^/]*)?$/i;
/**
 * Names that say their value is a part, label or kind of a secret, not one: Budibase's
 * `SECRET_ENCODING_PREFIX = "bbai_enc::"`, `API_KEY_HEADER`, `PASSWORD_FIELD`, `TOKEN_SEPARATOR`,
 * openai's `ACCESS_TOKEN_TYPE` (an OAuth token-type URN).
 */
const PART_NAME =
  /(?:prefix|suffix|marker|separator|delimiter|pattern|regexp?|header|field|param(?:eter)?|name|label|mask|type|kind|format|scheme)$/i;
/**
 * Values that say they are not real: AWS's documented example keys, dummies, runs of one
 * character, and the tokens of the OAuth 2.0 RFC's examples (RFC 6749, RFC 6750), which OAuth
 * libraries quote in their docs (restify's `accessToken: 'mF_9.B5f-4.1JqM'`).
 */
const FAKE_VALUE =
  /example|dummy|fake|sample|placeholder|x{6,}|0{8,}|(.)\1{7,}|1234567|mF_9\.B5f-4\.1JqM|2YotnFZFEjr1zCsicMWpAA|tGzv3JOkF0XG5Qx2TlKWIA|SplxlOBeZQQYbYS6WxSbIA/i;

interface Match {
  value: string;
  whole: string;
}

function matches(type: string, line: string): Match[] {
  const out: Match[] = [];
  for (const pattern of SECRET_PATTERNS) {
    if (pattern.type !== type) continue;
    for (const match of line.matchAll(new RegExp(pattern.regex.source, pattern.regex.flags))) {
      out.push({ value: match.groups?.value ?? match[0], whole: match[0] });
    }
  }
  return out;
}

/** Documentation hosts (RFC 2606) and local development hosts in a URL with credentials. */
const EXAMPLE_HOST = /^(?:[\w-]+\.)*(?:example\.(?:com|org|net)|example|test|invalid)$/i;
const LOCAL_HOST = /^(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|host\.docker\.internal)$/i;

/**
 * A password slot that names what goes there (`twilio://AccountSid:AuthToken@FromPhoneNo` in Uptime
 * Kuma's Apprise form, `amqp://user:password@host`): a template, not a credential.
 */
const PLACEHOLDER_PASSWORD = /^[A-Za-z_]*(?:pass|pwd|secret|token|key|auth)[A-Za-z_]*$/i;

function passwordOf(url: string): string {
  // `redis://[:password]@host[:port]` (Zaqar's option help): the brackets mark an optional part.
  return (/:\/\/[^:\s/@]+:([^@\s]+)@/.exec(url)?.[1] ?? '').replace(/^[[<{(]+|[\]>})]+$/g, '');
}

/**
 * API documentation (`documentation/1.0.0/overrides/User.json` in a Strapi plugin, `docs/`,
 * `openapi.yaml`, `swagger.json`): credentials there are example request bodies.
 */
const API_DOCS = /(?:^|\/)(?:docs?|documentation|openapi|swagger)(?:\/|\.(?:json|ya?ml)$)/i;

function hostOf(url: string): string {
  return /@([^\s'"/:?#]+)/.exec(url)?.[1] ?? '';
}

/**
 * Translation catalogues (`locales/ja/user.json`, `public/language/th/register.json`): a key named
 * `password` there holds the word for "password" in that language, not a password.
 */
const TRANSLATIONS =
  /(?:^|\/)(?:locales?|languages?|lang|i18n|l10n|translations?|messages)\/(?:[\w@-]+\/)?[^/]+\.(?:json|ya?ml|properties|po|ini|toml)$/i;
/** Text in a script other than Latin ASCII (`パスワード`, `Contraseña`): words, not credentials. */
const NATURAL_LANGUAGE = /\P{ASCII}/u;

/** A comment line: credentials there are usually documentation examples. */
const COMMENT_LINE = /^\s*(?:\*|\/\/|\/\*|#|<!--)/;
/**
 * A secret scanner's allow-list marker on the line: bandit's `# nosec` (Keystone's
 * `_ACCESS_TOKEN = "OS-OAUTH1:access_token"  # nosec`), ruff's `noqa: S105`, detect-secrets'
 * `pragma: allowlist secret`, gitleaks' `gitleaks:allow`. Someone reviewed the line and said it is
 * no secret.
 */
const SCANNER_ALLOWED =
  /(?:#|\/\/|\/\*).*(?:\bnosec\b|\bnoqa:?\s*S10[5-7]|pragma:\s*allowlist[ -]secret|gitleaks:allow)/i;

/**
 * Whether the value looks like a label, selector or expression rather than a credential: code
 * characters, a URL or path, a namespaced name without digits (`effect/Secret`, `@app/api-key`),
 * a dotted import path, or a format template.
 */
function looksLikeCode(value: string): boolean {
  return (
    /[()[\]{}<>]|:\/\/|^[./~]|^@?[A-Za-z][A-Za-z_.-]*(?:\/[A-Za-z][A-Za-z_.-]*)+$/.test(value) ||
    DOTTED_PATH.test(value) ||
    // A %-format template (Cinder's `raid_password = 'password=%s' % self.password`).
    /%[-#0 +]*\d*[sdr]/.test(value)
  );
}

/**
 * A key generated for the setting (Django's `SECRET_KEY = "lr66%-a!$km5ed@n5ug!tya5bv!0(yqwa1t…"`,
 * drawn from letters, digits and `!@#$%^&*(-_=+)`): its brackets are random characters, not code.
 */
function generatedKey(name: string, value: string): boolean {
  return /secret_?key$/i.test(name) && value.length >= 30 && !/\s/.test(value);
}

/**
 * A Python import path (`oauth2_provider.generators.ClientSecretGenerator`, the class Django OAuth
 * Toolkit's `CLIENT_SECRET_GENERATOR_CLASS` setting names): lower-case package segments, then a name.
 */
const DOTTED_PATH = /^(?:[a-z_][a-z0-9_]*\.)+[A-Za-z_][A-Za-z0-9_]*$/;

/** 1-based lines inside Python triple-quoted strings (docstrings and their usage examples). */
function tripleQuotedLines(text: string): Set<number> {
  const out = new Set<number>();
  let open: string | undefined;
  text.split(/\r?\n/).forEach((line, index) => {
    const wasOpen = open !== undefined;
    for (const match of line.matchAll(/"""|'''/g)) {
      if (open === undefined) open = match[0];
      else if (open === match[0]) open = undefined;
    }
    if (wasOpen || open !== undefined) out.add(index + 1);
  });
  return out;
}

/** The key name of a `name = "value"` credential assignment; a name is not a secret. */
function assignedName(type: string, line: string): string | undefined {
  if (type === 'hardcoded-password') {
    return /([A-Za-z_]*(?:password|passwd|pwd|secret|api_?key|apikey|auth_?token|access_?token|client_?secret|private_?key)[A-Za-z_]*)["']?\s*[:=]\s*["']/i.exec(
      line,
    )?.[1];
  }
  if (type === 'env-secret') {
    return /^\s*(?:export\s+)?([A-Z0-9_]*(?:PASSWORD|PASSWD|SECRET|API_KEY|APIKEY|TOKEN|PRIVATE_KEY|ACCESS_KEY|CREDENTIALS?)[A-Z0-9_]*)\s*=/.exec(
      line,
    )?.[1];
  }
  return undefined;
}

/** A `grep -E` pattern of TYPE_ERE's as a JavaScript one (they use no POSIX class but `[:space:]`). */
function ereToRegExp(ere: string, ignoreCase: boolean): RegExp {
  return new RegExp(ere.replaceAll('[[:space:]]', '\\s'), ignoreCase ? 'i' : '');
}

/**
 * A check that passes once the reported lines no longer hold their credential: no line of the
 * file matches the type's pattern, or, when lines the detector does not report match it too (a
 * placeholder such as `sk_live_…1234567` beside a real key in Flask-Security's settings), no more
 * lines than those.
 */
function grepGone(
  type: string,
  line: string,
  file: string,
  lines: readonly string[],
  /** The 1-based lines the detector reports with this type in the file. */
  reported: readonly number[],
): string | undefined {
  const known = TYPE_ERE[type];
  let ere = known?.ere;
  let flags = known?.ignoreCase ? '-qiE' : '-qE';
  const name = assignedName(type, line);
  if (type === 'hardcoded-password' && name) {
    ere = `${escapeEre(name)}["']?[[:space:]]*[:=][[:space:]]*["'][^"'[:space:]]{8,}["']`;
    flags = '-qE';
  } else if (type === 'env-secret' && name) {
    ere = `^[[:space:]]*(export[[:space:]]+)?${escapeEre(name)}[[:space:]]*=[[:space:]]*["']?[^"'[:space:]#$]{6,}`;
    flags = '-qE';
  }
  if (!ere) return undefined;
  const pattern = ereToRegExp(ere, flags.includes('i'));
  const matching = lines.flatMap((text, index) => (pattern.test(text) ? [index + 1] : []));
  const others = matching.filter((number) => !reported.includes(number)).length;
  if (others <= 0) return `! grep ${flags} -e ${shellQuote(ere)} ${shellQuote(file)}`;
  return `[ "$(grep ${flags.replace('q', 'c')} -e ${shellQuote(ere)} ${shellQuote(file)})" -le ${others} ]`;
}

/**
 * Session middleware whose options follow: `session({`, `cookieSession({`, `expressSession({`, and
 * a default after the configured ones (express-admin's `session(config.session || {`).
 */
const SESSION_OPTIONS = /\b(?:session|cookieSession|expressSession)\s*\((?:[^()]*(?:\|\||\?\?))?\s*(?:\{|$)/;

/**
 * Whether a `secret: '…'` phrase (1-based `line`) is the key of session middleware, whose options
 * open on its line or at most 12 lines above; `cookieParser('…')` always is. A `secret` property
 * elsewhere is redacted all the same, but may be a label or a setting's name.
 */
function sessionSecret(lines: readonly string[], line: number): boolean {
  if (/\bcookieParser\(/.test(lines[line - 1] ?? '')) return true;
  for (let index = line - 1; index >= Math.max(0, line - 13); index -= 1) {
    if (SESSION_OPTIONS.test(lines[index] ?? '')) return true;
  }
  return false;
}

interface LineHits {
  line: number;
  types: string[];
  confidence: Confidence;
  /** A provider-format key in a module taken as test support only for its imports: judged as its own. */
  ownRole?: boolean;
}

const RANK: Record<Confidence, number> = { LOW: 0, MED: 1, HIGH: 2 };

/** Keep the hits that are credible for this file, with the confidence each deserves. */
const PYTHON_FILE = /\.pyi?$/;
/**
 * `_pwd_context: "CryptContext" = LocalProxy(…)` (Flask-Security): a Python annotation that names
 * its type in quotes, with no string assigned after it.
 */
const PYTHON_STRING_ANNOTATION = /^\s*[\w.]+\s*:\s*(["'])[A-Za-z_][\w.[\], |]*\1\s*(?:=(?!\s*[rbuf]*["'])|$)/;

function judge(hit: SecretHit, rawLine: string, file: string, role: FileRole): Confidence | undefined {
  const name = baseName(file);
  if (hit.type === 'env-secret' && !ENV_STYLE.test(name)) return undefined; // code assignments: hardcoded-password
  const all = hit.type === 'private-key' && !rawLine.includes('\\n') ? [] : matches(hit.type, rawLine);
  const found = all.map((match) => match.value);
  if (found.length > 0 && found.every((value) => FAKE_VALUE.test(value))) return undefined;
  // `FAKE_JWT="eyJ…"` (Signal K's negative auth tests): the name says the value is not real.
  const assigned =
    /^\s*(?:export\s+|(?:const|let|var)\s+)?["']?([\w.-]+)["']?\s*[:=]/.exec(rawLine)?.[1] ?? '';
  if (FAKE_NAME.test(assigned)) return 'LOW';
  if (hit.type === 'hardcoded-password' && PYTHON_FILE.test(file) && PYTHON_STRING_ANNOTATION.test(rawLine))
    return undefined;
  if (
    hit.type === 'hardcoded-password' &&
    found.length > 0 &&
    found.every((value) => looksLikeCode(value) && !generatedKey(assigned, value))
  )
    return undefined;
  if (
    hit.type === 'hardcoded-password' &&
    (TRANSLATIONS.test(file) || found.every((v) => NATURAL_LANGUAGE.test(v)))
  )
    return undefined;
  // `"lastChangePasswordTime": "2025-08-11T09:19:46Z"` (Casdoor's init data in LobeChat): a date
  // under a name that mentions a password is when it changed, not what it is.
  if (hit.type === 'hardcoded-password' && found.length > 0 && found.every((v) => TIMESTAMP.test(v)))
    return undefined;
  if (PART_NAME.test(assigned)) return 'LOW';
  const hosts = all.map((match) => hostOf(match.whole));
  if (hit.type === 'connection-string-password' && hosts.every((host) => EXAMPLE_HOST.test(host)))
    return undefined;
  if (
    hit.type === 'connection-string-password' &&
    all.every((match) => PLACEHOLDER_PASSWORD.test(passwordOf(match.whole)))
  )
    return undefined;
  if (ENV_TEMPLATE.test(name) || SAMPLE_FILE.test(name)) return 'LOW';
  if (LOW_ROLES.has(role) || TEST_DOUBLE_FILE.test(file)) return 'LOW';
  if (hit.type === 'private-key' && TEST_KEY_FILE.test(file)) return 'LOW';
  if (role === 'docs' || API_DOCS.test(file)) return hit.confidence === 'HIGH' ? 'MED' : 'LOW';
  if (hit.confidence === 'MED' && COMMENT_LINE.test(rawLine)) return 'LOW';
  if (hit.confidence === 'MED' && SCANNER_ALLOWED.test(rawLine)) return 'LOW';
  if (hit.type === 'connection-string-password' && hosts.every((host) => LOCAL_HOST.test(host))) return 'LOW';
  if (hit.type === 'hardcoded-password' && found.every((value) => /^[A-Za-z_-]+$/.test(value))) return 'LOW';
  // `"api_key":"333779167276662"` (Cloudinary in Keystone's field explorer): an API key of digits
  // only is an account's public identifier, sent to browsers by design; its secret is another value.
  if (
    hit.type === 'hardcoded-password' &&
    all.length > 0 &&
    all.every((match) => /^\W*api_?key/i.test(match.whole) && /^\d+$/.test(match.value))
  )
    return 'LOW';
  // `postgres://testuser:knextest@postgres/knex_test`: credentials of a throwaway test service.
  if (hit.confidence === 'MED' && found.length > 0 && found.every((value) => /test/i.test(value)))
    return 'LOW';
  return hit.confidence;
}

/**
 * A credential committed to the repository. Findings carry only the credential type and location;
 * the excerpt is built by the engine from redacted lines.
 */
export const hardcodedSecret: RepoDetector = {
  id: 'security/hardcoded-secret',
  category: 'security',
  scope: 'repo',
  branchReads: 'files',
  title: 'Hardcoded credential',
  description:
    'A credential is committed to the repository. Everyone who can read the repository or any clone of its history can use it, and deleting the line does not un-leak it: the credential has to be revoked and replaced.',
  impact: 'HIGH',
  effort: 'S',
  risk: 'MED',
  riskReason:
    'Rotating the credential breaks every deployment still using the old value until it is given the new one.',
  confidence: 'HIGH',
  fixSketch:
    'Revoke and rotate the credential at its provider, read it from an environment variable or secret store instead of the file, and keep real values out of version control (.gitignore for .env files, a placeholder-only .env.example).',
  steps: [
    'Tell the repository owner that this credential is exposed and must be revoked at its provider; you cannot do that from the code. Do not print, copy or log the value anywhere.',
    'Replace the literal with a lookup of an environment variable (`os.environ.get("NAME")` in Python, `process.env.NAME` in JavaScript) named after what the credential is for; fail with a clear error where the credential is used and missing, not when the module is imported (tests and tools that never use it must still run).',
    'If the value lives in a committed `.env` file: remove that file from version control, add it to `.gitignore`, and add a `.env.example` listing the variable names with placeholder values only.',
    'For a test or fixture: replace the value with an obviously fake one (for example `test-token`) that the code under test accepts.',
    'Run the done check and the test command; both must pass.',
  ],
  python: {
    steps: [
      'Tell the repository owner that this credential is exposed and must be revoked at its provider; you cannot do that from the code. Do not print, copy or log the value anywhere.',
      'Replace the literal with a lookup of an environment variable (`os.environ.get("NAME")`) named after what the credential is for; fail with a clear error where the credential is used and missing, not when the module is imported (tests and tools that never use it must still run).',
      'If the value lives in a committed `.env` file: remove that file from version control, add it to `.gitignore`, and add a `.env.example` listing the variable names with placeholder values only.',
      'For a test or fixture: replace the value with an obviously fake one (for example `test-token`) that the code under test accepts.',
      'Run the done check and the test command; both must pass.',
    ],
  },
  check(context) {
    const out: RawFinding[] = [];
    for (const file of context.profile.files) {
      const name = baseName(file.path);
      const isEnv = ENV_FILE.test(name);
      if (!isEnv && !SCANNED_ROLES.has(file.role)) continue;
      if (file.size > MAX_SIZE || LOCKFILES.test(name)) continue;
      const text = context.read(file.path);
      if (text === undefined) continue;
      if (!mayHoldSecret(text)) continue; // most files: no credential pattern anywhere
      const { hits } = redactSource(text);
      if (hits.length === 0) continue;
      const rawLines = text.split(/\r?\n/);
      // A source file that imports a test library is read as the test file it serves.
      const testLibrary = file.role === 'source' ? TEST_LIBRARY_IMPORT.exec(text)?.[1] : undefined;
      const role: FileRole = testLibrary ? 'test' : file.role;
      const byLine = new Map<number, LineHits>();
      const docstrings = file.path.endsWith('.py') ? tripleQuotedLines(text) : undefined;
      for (const hit of hits) {
        if (hit.type === 'session-secret' && !sessionSecret(rawLines, hit.line)) continue;
        // A key in a provider's own format (`ghp_…`, `AKIA…`, a private key) is judged by the file's
        // own role: importing a test library is weaker evidence than a test folder, and a live key
        // in such a module is still live.
        const hitRole = testLibrary && hit.confidence === 'HIGH' ? file.role : role;
        let confidence = judge(hit, rawLines[hit.line - 1] ?? '', file.path, hitRole);
        if (!confidence) continue;
        // Inside a docstring a credential is a usage example, like one in a comment.
        if (confidence === 'MED' && hit.confidence === 'MED' && docstrings?.has(hit.line)) confidence = 'LOW';
        const entry = byLine.get(hit.line) ?? { line: hit.line, types: [], confidence: 'LOW' };
        if (!entry.types.includes(hit.type)) entry.types.push(hit.type);
        if (hitRole !== role) entry.ownRole = true;
        if (RANK[confidence] > RANK[entry.confidence]) entry.confidence = confidence;
        byLine.set(hit.line, entry);
      }
      const entries = [...byLine.values()].sort((a, b) => a.line - b.line);
      const perLine: RawFinding[] = [];
      for (const entry of entries) {
        const names = entry.types.map((type) => TYPE_NAMES[type] ?? type);
        const rawLine = rawLines[entry.line - 1] ?? '';
        let endLine = entry.line;
        // A key whose body goes on below its header (not one written whole on this line) is cited
        // down to its END line.
        if (entry.types.includes('private-key') && !/-----END [A-Z ]*PRIVATE KEY/.test(rawLine)) {
          const end = rawLines.findIndex(
            (line, index) => index >= entry.line && /-----END [A-Z ]*PRIVATE KEY/.test(line),
          );
          if (end !== -1) endLine = end + 1;
        }
        const checks = entry.types
          .map((type) =>
            grepGone(
              type,
              rawLine,
              file.path,
              rawLines,
              entries.filter((other) => other.types.includes(type)).map((other) => other.line),
            ),
          )
          .filter((check): check is string => check !== undefined);
        const where = isEnv ? `the committed environment file ${file.path}` : file.path;
        const finding: RawFinding = {
          file: file.path,
          startLine: entry.line,
          endLine,
          title: `Hardcoded ${names.join(' and ')} in ${file.path}`,
          message: `Line ${entry.line} of ${where} contains a ${names.join(' and a ')}. Anyone with access to the repository or its history can use it; it must be revoked and moved out of the code, not just deleted.`,
          confidence: entry.confidence,
        };
        if (LOW_ROLES.has(role) && !entry.ownRole) {
          finding.impact = 'LOW';
          finding.message += testLibrary
            ? ` The file imports the test library \`${testLibrary}\`, so this may be a test fixture's credential; confirm before rotating.`
            : ` The file is a ${role} file, so this may be a deliberate fake; confirm before rotating.`;
        }
        if (checks.length > 0) finding.doneCheck = checks.join(' && ');
        if (entry.ownRole) out.push(finding);
        else perLine.push(finding);
      }
      const kind = testLibrary ? `test support (it imports \`${testLibrary}\`)` : `a ${role} file`;
      out.push(...(LOW_ROLES.has(role) ? groupedFakes(file.path, kind, perLine) : perLine));
    }
    return out;
  },
};

/**
 * The credentials of one test, example or fixture file as one finding (ghost-cli's MySQL
 * extension spec repeats `password: 'somepass'` on 17 lines): likely fakes, judged together.
 */
function groupedFakes(path: string, kind: string, findings: readonly RawFinding[]): RawFinding[] {
  const [first, ...rest] = findings;
  if (!first || rest.length === 0) return [...findings];
  const lines = findings.map((finding) => finding.startLine);
  const checks = findings.flatMap((finding) => (finding.doneCheck ? [finding.doneCheck] : []));
  const grouped: RawFinding = {
    ...first,
    related: rest.map((finding) => {
      const line = finding.startLine ?? 1;
      return { file: path, startLine: line, endLine: finding.endLine ?? line };
    }),
    title: `${findings.length} hardcoded passwords or secrets in ${path}`,
    message: `Lines ${lines.slice(0, 8).join(', ')}${lines.length > 8 ? ` and ${lines.length - 8} more` : ''} of ${path} contain passwords or secrets. The file is ${kind}, so these may be deliberate fakes; confirm before rotating, and prefer values that say they are fake (\`test-password\`).`,
  };
  if (checks.length > 0) grouped.doneCheck = checks.join(' && ');
  else delete grouped.doneCheck;
  return [grouped];
}
