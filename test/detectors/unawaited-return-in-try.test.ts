import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unawaitedReturnInTry } from '../../src/detectors/correctness/unawaited-return-in-try.ts';
import { detect, withCheckTree } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence[0]?.startLine, f.confidence]);

describe('correctness/unawaited-return-in-try', () => {
  it('flags a promise returned from a try without await, when the catch does something (LobeChat)', () => {
    const findings = detect(unawaitedReturnInTry, {
      'src/trace.ts': [
        'export async function sendTrace(url: string, body: string) {',
        '  try {',
        "    return fetch(url, { method: 'POST', body });",
        '  } catch (error) {',
        "    console.warn('trace failed', error);",
        '    return undefined;',
        '  }',
        '}',
        'async function loadUser(id: string) {',
        '  return db.users.find(id);',
        '}',
        'export const profile = async (id: string) => {',
        '  try {',
        '    return loadUser(id);',
        '  } catch {',
        '    return null;',
        '  }',
        '};',
        'class Store {',
        '  async read(key: string) { return cache.get(key); }',
        '  async safeRead(key: string) {',
        '    try {',
        '      return this.read(key).then((value) => value ?? null);',
        '    } catch (error) {',
        '      throw new StoreError(key, error);',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    });
    // The last catch wraps and throws: the failure still reaches the caller, as another error.
    assert.deepEqual(summary(findings), [
      [3, 'HIGH'],
      [14, 'HIGH'],
      [23, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /`return await fetch\(…\)`/);
  });

  it('leaves awaited returns, rethrowing catches, sync functions and unknown calls alone', () => {
    const findings = detect(unawaitedReturnInTry, {
      'src/ok.ts': [
        'export async function a(url: string) {',
        '  try {',
        '    return await fetch(url);',
        '  } catch (error) {',
        '    return null;',
        '  }',
        '}',
        // The catch only rethrows: skipping it changes nothing.
        'export async function b(url: string) {',
        '  try {',
        '    return fetch(url);',
        '  } catch (error) {',
        '    throw error;',
        '  }',
        '}',
        // Not async: `return await` is not possible, and the promise is the caller's to handle.
        'export function c(url: string) {',
        '  try {',
        '    return fetch(url);',
        '  } catch (error) {',
        '    return null;',
        '  }',
        '}',
        // A promise that cannot reject, or rejects on purpose (refine's auth handlers).
        'export const check = async (params: unknown) => {',
        '  try {',
        '    const result = await provider.check(params);',
        '    return Promise.resolve(result);',
        '  } catch (error) {',
        '    return Promise.reject(error);',
        '  }',
        '};',
        // A call that may not return a promise.
        'export async function d(key: string) {',
        '  try {',
        '    return parse(key);',
        '  } catch {',
        '    return null;',
        '  }',
        '}',
        // In the catch or finally, or in a callback inside the try: not the try's own return.
        'export async function e(url: string) {',
        '  try {',
        '    await ready();',
        '    items.forEach((item) => { return fetch(item); });',
        '  } catch {',
        '    return fetch(url);',
        '  } finally {',
        '    done();',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
  });

  it('leaves a returned chain that ends in its own rejection handler alone (Node-RED runtime API)', () => {
    const findings = detect(unawaitedReturnInTry, {
      'lib/api/nodes.js': [
        'var api = module.exports = {',
        '  removeModule: async function(opts) {',
        '    try {',
        '      return runtime.nodes.uninstallModule(opts.module).then(function() {',
        '        runtime.log.audit({event: "nodes.remove", module: opts.module}, opts.req);',
        '      }).catch(function(err) {',
        '        err.status = 400;',
        '        throw err;',
        '      })',
        '    } catch(error) {',
        '      runtime.log.audit({event: "nodes.remove", error: error.code}, opts.req);',
        '      error.status = 400;',
        '      throw error;',
        '    }',
        '  },',
        '  setState: async function(opts) {',
        '    try {',
        '      return fetch(opts.url).then(function(res) { return res.json(); }, function(err) { return null; });',
        '    } catch(error) {',
        '      return null;',
        '    }',
        '  },',
        // Still flagged: `.then` alone leaves the rejection to the try's catch, which never sees it.
        '  getInfo: async function(opts) {',
        '    try {',
        '      return fetch(opts.url).then(function(res) { return res.json(); });',
        '    } catch(error) {',
        '      return null;',
        '    }',
        '  }',
        '};',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [[25, 'HIGH']]);
  });

  it('leaves a retry that calls the function itself alone: its own catch handles it (fastify link check)', () => {
    const findings = detect(unawaitedReturnInTry, {
      'scripts/validate-links.js': [
        'async function checkRepo(owner, repo, retries = 3) {',
        '  try {',
        '    const response = await fetch(`https://api.github.com/repos/${owner}/${repo}`);',
        '    if (response.status === 403 && retries > 0) {',
        '      return checkRepo(owner, repo, retries - 1);',
        '    }',
        '    return { owner, repo, exists: response.status === 200 };',
        '  } catch (err) {',
        '    return { owner, repo, exists: false, error: err.message };',
        '  }',
        '}',
        'class Client {',
        '  async load(id, retries) {',
        '    try {',
        '      if (retries > 0) return this.load(id, retries - 1);',
        '      return fetch(`/items/${id}`);',
        '    } catch (err) {',
        '      return null;',
        '    }',
        '  }',
        '}',
        // Another async function of the file is still flagged: its catch never runs.
        'const checkAll = async (repos) => {',
        '  try {',
        '    return checkRepo(repos[0].owner, repos[0].name);',
        '  } catch (err) {',
        '    return null;',
        '  }',
        '};',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [16, 'HIGH'],
      [24, 'HIGH'],
    ]);
  });

  it('still flags a retry whose function can fail outside its try (the last retry throws before it)', () => {
    const findings = detect(unawaitedReturnInTry, {
      'src/github.js': [
        'async function checkRepo(owner, repo, retries = 3) {',
        "  if (retries === 0) throw new Error('GitHub rate limit: out of retries');",
        '  try {',
        '    const response = await fetch(`https://api.github.com/repos/${owner}/${repo}`);',
        '    if (response.status === 403) return checkRepo(owner, repo, retries - 1);',
        '    return response.status === 200;',
        '  } catch (err) {',
        '    return false;',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [[5, 'HIGH']]);
  });

  it('still flags a chain whose rejection handler rethrows past a catch that returns a fallback', () => {
    const findings = detect(unawaitedReturnInTry, {
      'src/settings.js': [
        'export async function loadSettings(api) {',
        '  try {',
        "    return api.get('/settings').catch((err) => {",
        "      logger.warn('settings unavailable', err);",
        '      throw err;',
        '    });',
        '  } catch (err) {',
        '    return DEFAULT_SETTINGS;',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [[3, 'HIGH']]);
  });

  it('gives a done check that fails until the return awaits', () => {
    const source = [
      'export async function sendTrace(url) {',
      '  try {',
      '    return fetch(url);',
      '  } catch (error) {',
      '    return undefined;',
      '  }',
      '}',
      '',
    ].join('\n');
    const [finding] = detect(unawaitedReturnInTry, { 'src/trace.js': source });
    const check = finding?.doneCheck ?? '';
    withCheckTree({ 'src/trace.js': source }, (tree) => {
      assert.notEqual(tree.run(check), 0);
      tree.write('src/trace.js', source.replace('return fetch(url);', 'return await fetch(url);'));
      assert.equal(tree.run(check), 0);
    });
  });
});
