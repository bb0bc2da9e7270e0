import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { floatingPromise } from '../../src/detectors/correctness/floating-promise.ts';
import { detect, linesAndConfidence } from '../helpers/detector.ts';

describe('correctness/floating-promise', () => {
  it('flags same-file async calls and catch-less .then() chains dropped inside async functions', () => {
    const findings = detect(floatingPromise, {
      'src/orders.ts': [
        'async function sendReceipt(order: Order) {',
        '  await mailer.send(order.email, render(order));',
        '}',
        'const audit = async (event: string) => log.write(event);',
        'export async function checkout(order: Order) {',
        '  await db.orders.insert(order);',
        '  sendReceipt(order);',
        "  audit('checkout');",
        '  cache.refresh().then(() => metrics.bump());',
        '}',
        'class Sync {',
        '  async pull() { await this.remote.fetch(); }',
        '  async run() {',
        '    this.pull();',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [7, 'MED'],
      [8, 'MED'],
      [9, 'MED'],
      [14, 'MED'],
    ]);
    assert.equal(
      findings[0]?.doneCheck,
      "! grep -qE -- '^[[:space:]]*sendReceipt\\(order\\);' 'src/orders.ts'",
    );
  });

  it('says what an unhandled rejection does where the file runs: Node exits, a page only logs (Ghost comment counts)', () => {
    const source = (extra: string) =>
      [
        extra,
        'async function fetchCounts() { await fetch(url); }',
        'async function init() {',
        '  fetchCounts();',
        '  fetch(url).then((r) => r.json());',
        '}',
      ].join('\n');
    const page = detect(floatingPromise, {
      'core/frontend/src/comment-counts/comment-counts.js': source('addIds(document.body);'),
    });
    const server = detect(floatingPromise, { 'server/jobs.js': source("const fs = require('fs');") });
    assert.equal(page.length, 2);
    for (const finding of page) {
      assert.match(finding.message ?? '', /the browser only reports it in the console/);
      assert.doesNotMatch(finding.message ?? '', /Node/);
    }
    assert.equal(server.length, 2);
    assert.match(server[0]?.message ?? '', /Node exits by default/);
    // A React hook (ra-core): browser code, though it never names the page.
    const hook = detect(floatingPromise, {
      'src/core/useConfigureAdminRouterFromChildren.tsx': source("import { useEffect } from 'react';"),
      'src/core/useResource.ts': source('export const useResource = () => useState(null);'),
    });
    assert.equal(hook.length, 4);
    for (const finding of hook)
      assert.match(finding.message ?? '', /the browser only reports it in the console/);
    assert.match(server[1]?.message ?? '', /Node exits by default/);
    // Words in comments are not code: a server job that mentions "the job document." (apostrophe);
    // a Vue component's options (`emits: [...]`) run in the page.
    const apostrophe = detect(floatingPromise, {
      'modules/job/index.js': source(
        "// results are stored on the finished job document.\nconst tags = require('common-tags');",
      ),
      'modules/schema/ui/logic/AposInputRelationship.js': source(
        "export default { name: 'AposInputRelationship', emits: [ 'input' ] };",
      ),
    });
    assert.equal(apostrophe.length, 4);
    assert.match(apostrophe[0]?.message ?? '', /Node exits by default/);
    assert.match(apostrophe[2]?.message ?? '', /the browser only reports it in the console/);
  });

  it('rates a call dropped inside a script’s own dropped async wrapper LOW, and says to add .catch (Ghost comment counts)', () => {
    const findings = detect(floatingPromise, {
      'core/frontend/src/comment-counts/comment-counts.js': [
        'async function fetchCounts() { await fetch(url); }',
        '(async function () {',
        '  fetchCounts();',
        '})();',
        'export async function later() {',
        '  fetchCounts();',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.startLine, f.confidence]),
      [
        [3, 'LOW'],
        [6, 'MED'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /Add `\.catch\(…\)` to the outer call/);
  });

  it('finds calls to async methods whose names hold regex characters ($, #), and only those', () => {
    const findings = detect(floatingPromise, {
      'src/store.js': [
        'class Store {',
        '  async #persist() { await db.save(); }',
        '  async $reload() { await db.load(); }',
        '  reloadAll() { return 1; }',
        '  async handle() {',
        '    this.#persist();',
        '    this.$reload();',
        '    this.reloadAll();',
        '    this.$reloadX();',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [6, 'MED'],
      [7, 'MED'],
    ]);
  });

  it('still finds them in a file with more async functions than one native regex can name', () => {
    // 20,000 names make a regex over ast-grep's size limit: the detector then reads every statement.
    const names = Array.from({ length: 20_000 }, (_, i) => `generatedEndpointHandler${i}`);
    const findings = detect(floatingPromise, {
      'src/api.js': [
        ...names.map((name) => `async function ${name}() { await send('${name}'); }`),
        'export async function main() {',
        '  generatedEndpointHandler7();',
        '  await generatedEndpointHandler8();',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [[20_002, 'MED']]);
  });

  it('gives done checks that fail until the promise is handled, and pass once it is', (t) => {
    const before = [
      'async function sendReceipt(order) {',
      '  await mailer.send(order);',
      '}',
      'export async function checkout(order) {',
      '  sendReceipt(order);',
      '  cache.refresh().then(() => metrics.bump());',
      '}',
      '',
    ].join('\n');
    const findings = detect(floatingPromise, { 'src/orders.js': before });
    assert.equal(findings.length, 2);
    const dir = mkdtempSync(path.join(tmpdir(), 'improve-done-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(path.join(dir, 'src'));
    const passes = (text: string, check: string) => {
      writeFileSync(path.join(dir, 'src/orders.js'), text);
      return spawnSync('sh', ['-c', check], { cwd: dir }).status === 0;
    };
    const fixed = before
      .replace('  sendReceipt(order);', '  await sendReceipt(order);')
      .replace(
        '  cache.refresh().then(() => metrics.bump());',
        '  cache.refresh().then(() => metrics.bump()).catch(log);',
      );
    for (const finding of findings) {
      const check = finding.doneCheck ?? '';
      assert.equal(passes(before, check), false, check);
      assert.equal(passes(fixed, check), true, check);
    }
  });

  it('rates a call a comment says is not awaited on purpose LOW (Apostrophe job runner)', () => {
    const findings = detect(floatingPromise, {
      'modules/job/index.js': [
        'async function run() {',
        '  await work();',
        '}',
        'async function start(req, res) {',
        '  res.send({ jobId });',
        '  // Runs after response is already sent',
        '  run();',
        '  run(); // fire and forget',
        '  // update the totals',
        '  run();',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [7, 'LOW'],
      [8, 'LOW'],
      [10, 'MED'],
    ]);
  });

  it('rates a call LOW when the async function catches what it awaits (Parse Server session renewal)', () => {
    const findings = detect(floatingPromise, {
      'lib/Auth.js': [
        'const renewSessionIfNeeded = async ({ config, session, sessionToken }) => {',
        '  if (!config?.extendSessionOnUse) return;',
        '  try {',
        '    const { results } = await query.execute();',
        '    await new RestWrite(config, results[0]).execute();',
        '  } catch (e) {',
        '    if (e?.code !== NOT_FOUND) logger.error("Could not update session expiry: ", e);',
        '  }',
        '};',
        'async function rethrows() {',
        '  try {',
        '    await save();',
        '  } catch (error) {',
        '    throw new Error("save failed", { cause: error });',
        '  }',
        '}',
        'async function partly() {',
        '  await load();',
        '  try {',
        '    await save();',
        '  } catch {}',
        '}',
        'async function hands() {',
        '  try {',
        '    await load();',
        '    return save();',
        '  } catch {}',
        '}',
        'export async function getAuthForSessionToken({ config, sessionToken }) {',
        '  const user = await loadUser(sessionToken);',
        '  renewSessionIfNeeded({ config, sessionToken });',
        '  rethrows();',
        '  partly();',
        '  hands();',
        '  return user;',
        '}',
        // Ghost: the caller saves what the dropped call is still updating.
        'export async function checkRecommendation(existing) {',
        '  renewSessionIfNeeded(existing);',
        '  await repository.save(existing);',
        '}',
        // Parse Server 9: the cached branch drops the renewal and returns; the awaits below it
        // belong to the other path.
        'export async function fromCache({ config, cached, sessionToken }) {',
        '  if (cached) {',
        '    renewSessionIfNeeded({ config, sessionToken });',
        '    return Promise.resolve(new Auth({ config, user: cached }));',
        '  }',
        '  const query = await RestQuery({ config, sessionToken });',
        '  return (await query.execute()).results;',
        '}',
        // In a loop the awaits before it run again after it; a `finally` runs after the return.
        'export async function renewAll(tokens) {',
        '  for (const sessionToken of tokens) {',
        '    await lookUp(sessionToken);',
        '    renewSessionIfNeeded({ sessionToken });',
        '  }',
        '}',
        'export async function renewAndClose(sessionToken) {',
        '  try {',
        '    renewSessionIfNeeded({ sessionToken });',
        '    return true;',
        '  } finally {',
        '    await close();',
        '  }',
        '}',
        'export async function renewThenClose(sessionToken) {',
        '  try {',
        '    renewSessionIfNeeded({ sessionToken });',
        '  } finally {',
        '    await close();',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [31, 'LOW'],
      [32, 'MED'],
      [33, 'MED'],
      [34, 'MED'],
      [38, 'MED'],
      [43, 'LOW'],
      [52, 'MED'],
      [57, 'MED'],
      [65, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /catches the errors of what it awaits/);
  });

  it('rates a call LOW when the async function awaits, returns and throws nothing (Apostrophe normalizeTypes, not Uptime Kuma validateCron)', () => {
    const findings = detect(floatingPromise, {
      'modules/i18n/index.js': [
        'async function normalizeTypes(types) {',
        "  if (types.has('page')) {",
        '    pages.forEach(async (type) => { await load(type); });',
        "    types.delete('page');",
        '    return;',
        '  }',
        '  return true;',
        '}',
        'async function later(types) {',
        '  return store.load(types);',
        '}',
        'async function stream(source) {',
        '  for await (const chunk of source) sink.write(chunk);',
        '}',
        'async function validateCron(cron) {',
        '  new Cron(cron).stop();',
        '}',
        'async function checkLocale(locale) {',
        "  if (!locale) throw new Error('no locale');",
        '}',
        'export async function localize(req) {',
        '  const types = new Set(req.body.types);',
        '  normalizeTypes(types);',
        '  later(types);',
        '  stream(req);',
        '  validateCron(req.body.cron);',
        '  checkLocale(req.locale);',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [23, 'LOW'],
      [24, 'MED'],
      [25, 'MED'],
      [26, 'MED'],
      [27, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /awaits nothing/);
  });

  it('leaves awaited, returned, voided, collected and caught promises alone', () => {
    const findings = detect(floatingPromise, {
      'src/ok.ts': [
        'async function task(id: string) { return id; }',
        'export async function run(ids: string[]) {',
        '  await task(ids[0]);',
        '  void task(ids[1]).catch(report);',
        '  const pending = task(ids[2]);',
        '  await Promise.all(ids.map((id) => task(id)));',
        '  fetchData().then(use).catch(report);',
        '  fetchData().then(use, report);',
        '  syncHelper(ids);',
        '  return task(ids[3]);',
        '}',
        'export function notAsync() {',
        '  task("x");',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(findings, []);
  });
  it('leaves listeners on event promises alone (WebGPU device.lost in three.js)', () => {
    const findings = detect(floatingPromise, {
      'src/renderers/webgpu/WebGPUBackend.js': [
        'class WebGPUBackend {',
        '  async init(renderer) {',
        '    const device = await adapter.requestDevice(deviceDescriptor);',
        '    device.lost.then((info) => {',
        "      if (info.reason === 'destroyed') return;",
        '      renderer.onDeviceLost({ api: "WebGPU", message: info.message });',
        '    });',
        '    writer.closed.then(() => this.release());',
        '    loadTexture(url).then((texture) => this.use(texture));',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => f.evidence[0]?.startLine),
      [9],
    );
  });
});
