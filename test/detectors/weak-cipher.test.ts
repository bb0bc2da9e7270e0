import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { weakCipher } from '../../src/detectors/security/weak-cipher.ts';
import { detect } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]);

describe('security/weak-cipher', () => {
  it('flags createCipher (HIGH), ECB/DES and fixed IVs (MED)', () => {
    const findings = detect(weakCipher, {
      'src/crypto.js': [
        "const crypto = require('crypto');",
        'function encrypt(text) {',
        "  const cipher = crypto.createCipher('aes-256-cbc', process.env.SECRET);",
        "  return cipher.update(text, 'utf8', 'hex') + cipher.final('hex');",
        '}',
        'function encryptBlock(key, block) {',
        "  return crypto.createCipheriv('aes-128-ecb', key, null).update(block);",
        '}',
        'const IV = Buffer.alloc(16, 0);',
        'function seal(key, text) {',
        "  return crypto.createCipheriv('aes-256-cbc', key, IV).update(text);",
        '}',
      ].join('\n'),
      'app/legacy.py': [
        'from Crypto.Cipher import AES, DES',
        'def enc(key, data):',
        '    return AES.new(key, AES.MODE_ECB).encrypt(data)',
        'def enc_des(key, data):',
        '    return DES.new(key, DES.MODE_CBC, iv=b"12345678").encrypt(data)',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/crypto.js', 3, 'HIGH'],
      ['src/crypto.js', 7, 'MED'],
      ['src/crypto.js', 11, 'MED'],
      ['app/legacy.py', 3, 'MED'],
      ['app/legacy.py', 5, 'MED'],
    ]);
  });

  it("leaves other libraries' functions of the same name alone (CyberChef's node-forge)", () => {
    const findings = detect(weakCipher, {
      'src/core/operations/AESEncrypt.mjs': [
        'import forge from "node-forge";',
        'export function run(input, key, iv, mode) {',
        '  const cipher = forge.cipher.createCipher("AES-" + mode, key);',
        '  cipher.start({ iv: iv });',
        '  const des = forge.cipher.createCipher("DES-ECB", key);',
        '}',
      ].join('\n'),
      // Node's module under another name, or a function imported from it, still counts.
      'src/legacy.mjs': [
        'import * as nodeCrypto from "node:crypto";',
        'import { createDecipher } from "crypto";',
        'export const seal = (text, password) => nodeCrypto.createCipher("aes-256-cbc", password).update(text);',
        'export const unseal = (text, password) => createDecipher("aes-256-cbc", password).update(text);',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/legacy.mjs', 3, 'HIGH'],
      ['src/legacy.mjs', 4, 'HIGH'],
    ]);
  });

  it('leaves GCM/CBC with random IVs and AESGCM alone', () => {
    const findings = detect(weakCipher, {
      'src/seal.ts': [
        "import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';",
        'export function seal(key: Buffer, text: string) {',
        '  const iv = randomBytes(12);',
        "  const cipher = createCipheriv('aes-256-gcm', key, iv);",
        '  return Buffer.concat([iv, cipher.update(text), cipher.final(), cipher.getAuthTag()]);',
        '}',
        'export function open(key: Buffer, box: Buffer) {',
        "  return createDecipheriv('aes-256-gcm', key, box.subarray(0, 12));",
        '}',
      ].join('\n'),
      'app/seal.py': [
        'import os',
        'from Crypto.Cipher import AES',
        'def seal(key, data):',
        '    return AES.new(key, AES.MODE_GCM, nonce=os.urandom(12)).encrypt_and_digest(data)',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
  });
});
