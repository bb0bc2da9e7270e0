/**
 * Credential patterns and redaction. Every excerpt that leaves a file goes through here, so a
 * secret value never reaches a finding, a plan, a log, JSON/SARIF or a prompt: only its type and
 * location do (ARCHITECTURE invariant 2).
 */

import { lineStarts } from './line-starts.ts';

export interface SecretPattern {
  type: string;
  /** Must have the `g` flag. Group `value` (when present) is the secret part; otherwise the whole match. */
  regex: RegExp;
  /** Confidence that a match is a real credential. */
  confidence: 'HIGH' | 'MED';
  /** Matches every text the pattern matches (a fast pre-check); no `g` flag. */
  hint?: RegExp;
}

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  { type: 'aws-access-key-id', regex: /\b(?<value>(?:AKIA|ASIA)[0-9A-Z]{16})\b/g, confidence: 'HIGH' },
  {
    type: 'aws-secret-access-key',
    regex: /aws_?secret_?access_?key["']?\s*[:=]\s*["']?(?<value>[A-Za-z0-9/+=]{40})\b/gi,
    confidence: 'HIGH',
  },
  { type: 'github-token', regex: /\b(?<value>gh[pousr]_[A-Za-z0-9]{36,255})\b/g, confidence: 'HIGH' },
  { type: 'github-token', regex: /\b(?<value>github_pat_[A-Za-z0-9_]{22,255})\b/g, confidence: 'HIGH' },
  { type: 'slack-token', regex: /\b(?<value>xox[abposr]-[A-Za-z0-9-]{10,})\b/g, confidence: 'HIGH' },
  { type: 'stripe-secret-key', regex: /\b(?<value>[sr]k_live_[0-9a-zA-Z]{20,})\b/g, confidence: 'HIGH' },
  { type: 'google-api-key', regex: /\b(?<value>AIza[0-9A-Za-z_-]{35})\b/g, confidence: 'HIGH' },
  { type: 'anthropic-api-key', regex: /\b(?<value>sk-ant-[A-Za-z0-9_-]{20,})/g, confidence: 'HIGH' },
  {
    type: 'openai-api-key',
    regex: /\b(?<value>sk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{32,})/g,
    confidence: 'HIGH',
  },
  { type: 'npm-token', regex: /\b(?<value>npm_[A-Za-z0-9]{36})\b/g, confidence: 'HIGH' },
  {
    type: 'json-web-token',
    regex: /\b(?<value>eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})/g,
    confidence: 'MED',
  },
  {
    type: 'private-key',
    // One-line keys written with escapes ("-----BEGIN ... KEY-----\nMIIE...") are covered here too.
    // Windows line ends escaped too: Juice Shop's key is written `-----\\r\\nMIIC…\\r\\n-----END…`.
    regex: /(?<value>-----BEGIN [A-Z ]*PRIVATE KEY( BLOCK)?-----(?:(?:\\r)?\\n[A-Za-z0-9+/=\\n]*)?)/g,
    confidence: 'HIGH',
  },
  {
    type: 'connection-string-password',
    // The scheme is a look-behind, so the search starts at each `://` rather than at every word.
    regex: /(?<=\b[a-z][a-z0-9+.-]*):\/\/[^:\s/@'"]+:(?<value>[^@\s'"/$<{]{3,})@[^\s'"]+/gi,
    confidence: 'MED',
    hint: /:\/\//,
  },
  {
    type: 'hardcoded-password',
    regex:
      // No leading `\b[A-Za-z_]*`: the name's prefix never changes the value, and matching it made
      // the search back-track through every word of every file (3× slower).
      /(?:password|passwd|pwd|secret|api_?key|apikey|auth_?token|access_?token|client_?secret|private_?key)\w*["']?\s*[:=]\s*["'](?<value>[^"'\s]{8,})["']/gi,
    confidence: 'MED',
    hint: /pass|pwd|secret|key|token/i,
  },
  {
    type: 'hardcoded-key',
    // A literal where a signing or encryption call takes its key: Juice Shop's
    // `crypto.createHmac('sha256', 'pa4q…')`, `jwt.sign(payload, 'shhhhh-secret')`,
    // `hmac.new(b'…', msg, sha256)`. The payload before the key may not hold a quote (a bound).
    regex:
      /(?:\bcreate(?:Hmac|Cipheriv|Decipheriv)\(\s*['"][\w-]+['"]\s*,|\bjwt\.(?:sign|verify|encode|decode)\([^)'"`]*?,|\bhmac\.new\()\s*b?['"](?<value>[^'"\s]{8,})['"]/g,
    confidence: 'MED',
    hint: /createHmac|createCipheriv|createDecipheriv|jwt\.|hmac\.new/,
  },
  {
    type: 'session-secret',
    // The key that signs session cookies, written out: DVNA's `secret: 'keyboard cat'` (the
    // express-session README's example, copied into apps), also after a `process.env.X ||`
    // fallback. Phrases with spaces are what the password pattern leaves out. Every such line is
    // redacted; the detector reports only those inside session middleware options.
    regex:
      /(?<![\w$-])secret['"]?\s*:\s*(?:[\w.]+\s*(?:\|\||\?\?)\s*)?['"](?<value>(?=[^'"\n]{6,}['"])[^'"\n]*?[^\S\n][^'"\n]*)['"]/g,
    confidence: 'MED',
    hint: /secret['"]?\s*:/,
  },
  {
    type: 'session-secret',
    // `cookieParser('…')`: the literal is the key that signs cookies.
    regex: /\bcookieParser\(\s*(?:[\w.]+\s*(?:\|\||\?\?)\s*)?['"](?<value>[^'"\n]{6,})['"]/g,
    confidence: 'MED',
    hint: /cookieParser\(/,
  },
  {
    type: 'env-secret',
    regex:
      /^\s*(?:export\s+)?[A-Z0-9_]*(?:PASSWORD|PASSWD|SECRET|API_KEY|APIKEY|TOKEN|PRIVATE_KEY|ACCESS_KEY|CREDENTIALS?)[A-Z0-9_]*\s*=\s*["']?(?<value>[^"'\s#]{6,})/gm,
    confidence: 'MED',
    // The name and its `=`: in code, `KEY` and `TOKEN` mostly name other things (`KEY_CODES`).
    hint: /(?:PASSWORD|PASSWD|SECRET|API_KEY|APIKEY|TOKEN|PRIVATE_KEY|ACCESS_KEY|CREDENTIALS?)[A-Z0-9_]*\s*=/,
  },
];

const PLACEHOLDER =
  /^(?:x+|\*+|\.+|changeme|change_me|password|passwd|pass|pwd|pw|secret|example|sample|test|dummy|placeholder|your[-_].*|<.*>|\$\{.*\}|\$\(.*|`.*|\{\{.*\}\}|%\(.*|process\.env.*|os\.environ.*|env\(.*|null|none|undefined|true|false|todo|redacted.*|\[redacted.*)$/i;

/** Words that make an assignment look like a credential but say it is not a literal value. */
function isPlaceholder(value: string): boolean {
  if (PLACEHOLDER.test(value)) return true;
  // A shell variable (`"$ADMIN_TOKEN"`): an environment variable's name, upper case by convention.
  // Mixed case stays a value: `'$ecretPa55'` in single quotes is a literal password.
  if (/^\$[A-Z_][A-Z0-9_]*$/.test(value)) return true;
  if (/^[a-z]+(?:[._][a-z]+)+$/i.test(value)) return true; // an identifier path like config.db.password
  // A URL or path template filled in later: `"{0}/protocol/openid-connect/token".format(base)`
  // (django-allauth's `access_token_url`), `"%s/token" % base`.
  if (/\{\d*\}|%\(\w+\)[sd]|%[sd]/.test(value) && value.includes('/')) return true;
  // A translation key, `namespace:key` (Apostrophe's `password: 'apostrophe:enterPassword'`).
  if (/^[a-z][a-z-]*:[a-z][a-zA-Z]*$/.test(value)) return true;
  if (/^[A-Z0-9_]+$/.test(value) && value.includes('_')) return true; // a constant name like DB_PASSWORD
  // An object identifier (`challengePassword = "1.2.840.113549.1.9.7"`, PKCS #9) or a version.
  if (/^\d+(?:\.\d+){2,}$/.test(value)) return true;
  // A URN names a kind of thing (pysaml2's `PASSWORD = 'urn:oasis:names:tc:SAML:2.0:ac:classes:Password'`).
  if (/^urn:[a-z0-9][a-z0-9-]{0,31}:[^\s@]+$/i.test(value)) return true;
  // An address with no user information in it (`token_url = "https://id.example/oauth/token"`):
  // where a credential is sent, not the credential. One with `user:pass@` is still a value.
  if (/^[a-z][a-z0-9+.-]*:\/\/[^\s/@]+(?:\/[^\s@]*)?$/i.test(value)) return true;
  return false;
}

export interface SecretHit {
  type: string;
  /** 1-based line number. */
  line: number;
  confidence: 'HIGH' | 'MED';
}

export interface RedactedSource {
  lines: string[];
  hits: SecretHit[];
}

const BEGIN_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY( BLOCK)?-----/;
const END_KEY = /-----END [A-Z ]*PRIVATE KEY( BLOCK)?-----/;
/** A line of a key's body and nothing else: base64 (quoted, indented, concatenated), or a PEM header. */
const KEY_BODY = /^[\s'"`]*(?:[A-Za-z0-9+/]{8,}={0,2}(?:\\r)?(?:\\n)?[\s'"`,+;)]*|Proc-Type:.*|DEK-Info:.*)$/;

/**
 * Whether key material follows a `-----BEGIN … PRIVATE KEY-----` line: a header alone
 * (`placeholder="-----BEGIN PRIVATE KEY-----"` in Uptime Kuma's form) is a label, not a key, and
 * must not turn the rest of the file into a redacted block.
 */
function keyBodyFollows(lines: readonly string[], index: number): boolean {
  for (let next = index + 1; next < Math.min(lines.length, index + 4); next += 1) {
    const line = lines[next] ?? '';
    if (line.trim() === '') continue;
    // A header right before an END marker is an empty block: code that looks for the markers
    // (`key.indexOf('-----BEGIN … KEY-----')` on one line, `-----END` on the next), not a key.
    return KEY_BODY.test(line);
  }
  return false;
}

/** The next string on the line goes on with key material, 40 base64 characters or more (`… KEY-----\\n' + 'MIIE…`). */
const KEY_MATERIAL_NEXT = /^(?:[\s'"`+,]|\\r|\\n){0,12}[A-Za-z0-9+/]{40,}/;
const KEY_MATERIAL_RUNS = /[A-Za-z0-9+/]{40,}={0,2}/g;

/**
 * Whether a one-line private key match carries key material: an escaped body after the header, or
 * base64 in the string that follows it (`'-----BEGIN…-----\\n' + 'MIIE…'`). Code that builds or searches for
 * the markers (`pem.indexOf('-----BEGIN RSA PRIVATE KEY-----')`, MeshCentral's `authenticode.js`)
 * holds none: nothing to redact, and no key.
 */
function keyMaterialOnLine(value: string, line: string, end: number): boolean {
  const body = value.replace(BEGIN_KEY, '').replace(/\\[rn]/g, '');
  return body.length >= 16 || KEY_MATERIAL_NEXT.test(line.slice(end));
}

/** Whether key material follows a BEGIN header on its own line (16 base64 characters or more). */
function keyMaterialAfterHeader(line: string): boolean {
  const header = BEGIN_KEY.exec(line);
  if (!header) return false;
  const after = line.slice(header.index + header[0].length).replace(/\\[rn]/g, '');
  return /[A-Za-z0-9+/]{16,}/.test(after);
}

export function redactedMarker(type: string): string {
  return `[REDACTED:${type}]`;
}

/** Redact one line. Returns the line with every credential value replaced by its type. */
export function redactLine(line: string, lineNumber = 1, hits: SecretHit[] = []): string {
  let out = line;
  let keyOnLine = false;
  for (const pattern of SECRET_PATTERNS) {
    pattern.regex.lastIndex = 0;
    out = out.replace(pattern.regex, (match: string, ...rest: unknown[]) => {
      const groups = rest[rest.length - 1] as Record<string, string | undefined> | undefined;
      const offset = rest[rest.length - 3] as number;
      const value = groups?.value ?? match;
      if (value.startsWith('[REDACTED:')) return match;
      if (pattern.confidence === 'MED' && isPlaceholder(value)) return match;
      if (pattern.type === 'private-key') {
        if (!keyMaterialOnLine(value, out, offset + match.length)) return match;
        keyOnLine = true;
      }
      hits.push({ type: pattern.type, line: lineNumber, confidence: pattern.confidence });
      return match.replace(value, redactedMarker(pattern.type));
    });
  }
  // A key split over strings on one line: its other parts are key material too.
  return keyOnLine ? out.replace(KEY_MATERIAL_RUNS, redactedMarker('private-key')) : out;
}

/**
 * Whether any credential pattern matches somewhere in the text. Each pattern is unanchored (or
 * anchored per line with `m`) and stops at line ends, so a match on one line is also a match in
 * the whole text: when this is false, no line has anything to redact.
 */
export function mayHoldSecret(text: string): boolean {
  if (text.includes('-----BEGIN')) return true;
  if (TOKEN_FORMATS.test(text)) return true;
  return HINTED_PATTERNS.some((pattern) => {
    // A cheap necessary condition first: every match of the pattern contains one of these.
    if (pattern.hint && !pattern.hint.test(text)) return false;
    pattern.regex.lastIndex = 0;
    const found = pattern.regex.test(text);
    pattern.regex.lastIndex = 0;
    return found;
  });
}

/**
 * The patterns of tokens with a fixed format (`AKIA…`, `ghp_…`, `eyJ….eyJ….…`), case-sensitive
 * and single-line, as one alternation: one pass over a file instead of one per format. The rest,
 * each with its cheap hint, are tried one by one.
 */
const FIXED_FORMATS = SECRET_PATTERNS.filter((pattern) => !pattern.hint && pattern.regex.flags === 'g');
const TOKEN_FORMATS = new RegExp(
  FIXED_FORMATS.map((pattern) => pattern.regex.source.replaceAll('(?<value>', '(?:')).join('|'),
);
const HINTED_PATTERNS = SECRET_PATTERNS.filter((pattern) => !FIXED_FORMATS.includes(pattern));

/**
 * Redact a whole file. Multi-line private key blocks are tracked across lines so that the
 * base64 body never survives, whichever lines an excerpt later cites.
 */
export function redactSource(text: string): RedactedSource {
  const lines = text.split(/\r?\n/);
  if (!mayHoldSecret(text)) return { lines, hits: [] };
  const hits: SecretHit[] = [];
  let inKey = false;
  const out = lines.map((line, index) => {
    const lineNumber = index + 1;
    if (inKey) {
      if (END_KEY.test(line)) {
        inKey = false;
        return line;
      }
      return redactedMarker('private-key');
    }
    // A header whose key goes on below: lines of base64, plain or as strings that each end in an
    // escaped line break (`'-----BEGIN…-----\\n' +`, then `'MIIE…\\n' +`). A key written whole on
    // this line (escaped line breaks and all) is redacted by redactLine.
    if (BEGIN_KEY.test(line) && !END_KEY.test(line) && !keyMaterialAfterHeader(line)) {
      if (keyBodyFollows(lines, index)) {
        inKey = true;
        hits.push({ type: 'private-key', line: lineNumber, confidence: 'HIGH' });
        return line;
      }
      // A header alone (a form's placeholder) names a format, not a key: the line is still
      // redacted as usual, but it is no hit.
      const own: SecretHit[] = [];
      const redacted = redactLine(line, lineNumber, own);
      hits.push(...own.filter((hit) => hit.type !== 'private-key'));
      return redacted;
    }
    return redactLine(line, lineNumber, hits);
  });
  return { lines: out, hits };
}

/**
 * A file's lines as excerpts read them: how many there are, and lines by 0-based index or range.
 * An array is one.
 */
export interface LineView {
  readonly length: number;
  at(index: number): string | undefined;
  slice(start?: number, end?: number): string[];
}

/**
 * Lines redacted one at a time, when first read, and cut from the text only then: a file with a
 * finding costs one array of offsets, not a string per line.
 */
class LazyRedactedLines implements LineView {
  private readonly text: string;
  private readonly starts: readonly number[];
  private readonly redacted = new Map<number, string>();

  constructor(text: string) {
    this.text = text;
    this.starts = lineStarts(text);
  }

  get length(): number {
    return this.starts.length;
  }

  at(index: number): string | undefined {
    const count = this.starts.length;
    const i = index < 0 ? index + count : index;
    if (i < 0 || i >= count) return undefined;
    const known = this.redacted.get(i);
    if (known !== undefined) return known;
    const start = this.starts[i] ?? 0;
    let end = i + 1 < count ? (this.starts[i + 1] ?? 0) - 1 : this.text.length;
    // A `\r` before the `\n` ends the line too (what `split(/\r?\n/)` drops); a last `\r` stays.
    if (i + 1 < count && end > start && this.text.charCodeAt(end - 1) === 13) end -= 1;
    const line = redactLine(this.text.slice(start, end), i + 1);
    this.redacted.set(i, line);
    return line;
  }

  slice(start = 0, end = this.starts.length): string[] {
    const n = this.starts.length;
    const from = start < 0 ? Math.max(n + start, 0) : Math.min(start, n);
    const to = end < 0 ? Math.max(n + end, 0) : Math.min(end, n);
    const out: string[] = [];
    for (let i = from; i < to; i += 1) out.push(this.at(i) ?? '');
    return out;
  }
}

/**
 * The redacted lines of a file, each redacted when first read: what evidence and vetting cite,
 * without redacting (or even searching) the whole of every file that has a finding. Without a
 * private key header every credential pattern stays within one line, so a line redacted alone is
 * the line `redactSource` gives; with one, the whole file is redacted at once, since a key's body
 * spans lines.
 */
export function redactedLines(text: string): LineView {
  if (text.includes('-----BEGIN')) return redactSource(text).lines;
  return new LazyRedactedLines(text);
}

/** Redact free text (messages, command output) that may quote a file. */
export function redactText(text: string): string {
  return redactSource(text).lines.join('\n');
}
