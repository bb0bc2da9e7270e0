import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { insecureRandom } from '../../src/detectors/security/insecure-random.ts';
import { detect } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]);

describe('security/insecure-random', () => {
  it('flags Math.random() for tokens and reset codes (MED), salts and ids (LOW)', () => {
    const findings = detect(insecureRandom, {
      'src/auth.ts': [
        'export function generateToken(length = 32) {',
        "  let result = '';",
        '  for (let i = 0; i < length; i++) {',
        '    result += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];',
        '  }',
        '  return result;',
        '}',
        'export async function startReset(user: User) {',
        '  const resetCode = String(Math.floor(100000 + Math.random() * 900000));',
        '  await db.users.update(user.id, { salt: Math.random().toString(36).slice(2) });',
        '  return resetCode;',
        '}',
        'export const newId = () => Math.random().toString(36).slice(2);',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/auth.ts', 4, 'MED'],
      ['src/auth.ts', 9, 'MED'],
      // Jupyter's passwd(): a salt is stored in clear beside its hash; it must only be unique.
      ['src/auth.ts', 10, 'LOW'],
      ['src/auth.ts', 13, 'LOW'],
    ]);
    assert.match(findings[0]?.message ?? '', /generateToken/);
    assert.match(findings[2]?.message ?? '', /need not be secret, only unique/);
  });

  it('leaves animation, jitter, sampling, shuffling and coin flips alone', () => {
    const findings = detect(insecureRandom, {
      'src/ui.ts': [
        'export function retryDelay(attempt: number) {',
        '  const jitter = Math.random() * 100;',
        '  return 2 ** attempt * 100 + jitter;',
        '}',
        'export function pickColor() {',
        '  return COLORS[Math.floor(Math.random() * COLORS.length)];',
        '}',
        'export function createSession(store: Store) {',
        '  const delay = Math.random() * 50;',
        '  return store.create({ id: crypto.randomUUID(), delay });',
        '}',
        'if (Math.random() < SAMPLE_RATE) metrics.send();',
        // Ghost's analytics fixtures: weighted coin flips inside a function named for sessions.
        'export function generateSession(uuids: string[]) {',
        '  let member;',
        '  if (uuids.length > 0 && Math.random() < 0.7) member = pick(uuids);',
        '  while ((Math.random()) >= 0.5) member = undefined;',
        '  return { member, sessionToken: Math.random().toString(36) };',
        '}',
      ].join('\n'),
    });
    // The token it makes is still a secret made with Math.random().
    assert.deepEqual(summary(findings), [['src/ui.ts', 17, 'MED']]);
  });

  it('drops timestamped ids and keeps other random ids as LOW-impact leads (three.js inspector)', () => {
    const findings = detect(insecureRandom, {
      'src/inspector/ColorGrading.js': [
        'export function addModifier(type, customId) {',
        '  const modId = customId || `${type}_${Date.now()}_${Math.floor(Math.random() * 1000)}`;',
        '  return modId;',
        '}',
        'export function _makeRequestId() {',
        '  return `${Date.now()}-${Math.random().toString(36).slice(2, 10)}`;',
        '}',
        'export class List {',
        '  constructor() {',
        '    this.id = `list-${Math.random().toString(36).slice(2, 11)}`;',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.startLine, f.confidence, f.impact]),
      [[10, 'LOW', 'LOW']],
    );
  });

  it('flags the random module for tokens and passwords, not secrets/SystemRandom (Python)', () => {
    const findings = detect(insecureRandom, {
      'app/tokens.py': [
        'import random, secrets, string',
        'def make_api_key():',
        "    return ''.join(random.choice(string.ascii_letters) for _ in range(40))",
        'def temp_password():',
        '    password = str(random.randint(10**7, 10**8))',
        '    return password',
        'def safe_token():',
        '    return secrets.token_urlsafe(32)',
        'def shuffle_deck(deck):',
        '    random.shuffle(deck)',
        'def sys_token():',
        "    return ''.join(random.SystemRandom().choice(string.digits) for _ in range(6))",
        // calibre: random only picks how many secure random bytes to take.
        'def make_secret(self):',
        '    self.secret = as_hex_unicode(os.urandom(random.randint(20, 30)))',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['app/tokens.py', 3, 'MED'],
      ['app/tokens.py', 5, 'MED'],
    ]);
  });

  it('trusts a module that rebinds `random` to SystemRandom (Heat)', () => {
    const generator = (binding: string) =>
      detect(insecureRandom, {
        'heat/common/password_gen.py': [
          'import random as random_module',
          binding,
          'def generate_password(length, chars):',
          '    password = "".join(random.choice(chars) for _ in range(length))',
          '    return password',
        ].join('\n'),
      });
    assert.deepEqual(summary(generator('random = random_module.SystemRandom()')), []);
    // The module's own generator under its usual name stays a finding.
    assert.deepEqual(summary(generator('random = random_module')), [
      ['heat/common/password_gen.py', 4, 'MED'],
    ]);
  });

  it('reads a password only shuffled with random, its characters from urandom, as a LOW lead (Cinder)', () => {
    const findings = detect(insecureRandom, {
      'cinder/volume/volume_utils.py': [
        'from random import shuffle',
        'def generate_password(length=16, symbolgroups=DEFAULT_PASSWORD_SYMBOLS):',
        '    password = [s[ord(urandom(1)) % len(s)] for s in symbolgroups]',
        '    shuffle(password)',
        '    return "".join(password)',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [['cinder/volume/volume_utils.py', 4, 'LOW']]);
    assert.match(findings[0]?.message ?? '', /only reordered/);
  });
});
