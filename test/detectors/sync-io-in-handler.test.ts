import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { syncIoInHandler } from '../../src/detectors/performance/sync-io-in-handler.ts';
import { detect, linesAndConfidence } from '../helpers/detector.ts';

describe('performance/sync-io-in-handler', () => {
  it('flags blocking fs and crypto calls inside Express/Koa route handlers', () => {
    const findings = detect(syncIoInHandler, {
      'src/server.js': [
        "const fs = require('node:fs');",
        "const crypto = require('node:crypto');",
        "app.get('/report', (req, res) => {",
        "  const template = fs.readFileSync('views/report.html', 'utf8');",
        '  res.send(render(template, req.query));',
        '});',
        "router.post('/login', async (ctx) => {",
        "  const hash = crypto.pbkdf2Sync(ctx.request.body.password, salt, 100000, 64, 'sha512');",
        '  ctx.body = { ok: hash.equals(stored) };',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [4, 'MED'],
      [8, 'HIGH'],
    ]);
    assert.equal(
      findings[0]?.doneCheck,
      "! grep -qF -- 'const template = fs.readFileSync('\\''views/report.html'\\'', '\\''utf8'\\'');' 'src/server.js'",
    );
  });

  it('leaves startup reads, async APIs and non-handler code alone', () => {
    const findings = detect(syncIoInHandler, {
      'src/ok.ts': [
        "import { readFileSync } from 'node:fs';",
        "import { readFile } from 'node:fs/promises';",
        "const template = readFileSync('views/report.html', 'utf8');",
        "app.get('/report', async (req, res) => {",
        "  res.send(await readFile('views/report.html', 'utf8'));",
        '});',
        'export function build() {',
        "  return readFileSync('config.json', 'utf8');",
        '}',
        "app.set('view', readFileSync('x', 'utf8'));",
      ].join('\n'),
    });
    assert.deepEqual(findings, []);
  });
});
