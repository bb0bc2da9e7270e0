import assert from 'node:assert/strict';
import { readFileSync, realpathSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../../src/core/errors.ts';
import { recon } from '../../src/recon/recon.ts';
import { makeRepo, tempDir } from '../helpers/repo.ts';

test('a path that does not exist is a UsageError with a hint', async (t) => {
  const temp = tempDir();
  t.after(temp.dispose);
  await assert.rejects(recon(path.join(temp.dir, 'missing')), (error) => {
    assert.ok(error instanceof UsageError);
    assert.equal(error.exitCode, 2);
    assert.match(error.message, /does not exist/);
    assert.ok(error.hint);
    return true;
  });
});

test('a file path is a UsageError', async (t) => {
  const repo = makeRepo({ 'a.ts': 'export {};\n' });
  t.after(repo.dispose);
  await assert.rejects(recon(path.join(repo.dir, 'a.ts')), (error) => {
    assert.ok(error instanceof UsageError);
    assert.match(error.message, /is not a directory/);
    return true;
  });
});

test('the root is resolved to an absolute real path', async (t) => {
  const repo = makeRepo({ 'a.ts': 'export {};\n' });
  const links = tempDir();
  t.after(() => {
    repo.dispose();
    links.dispose();
  });
  const link = path.join(links.dir, 'link');
  symlinkSync(repo.dir, link);
  const profile = await recon(link);
  assert.equal(profile.root, realpathSync(repo.dir));
  assert.deepEqual(
    profile.files.map((file) => file.path),
    ['a.ts'],
  );
});

test('recon of a subdirectory of a repository lists paths relative to that directory', async (t) => {
  const repo = makeRepo({
    '.gitignore': '*.log\n',
    'pkg/src/a.ts': 'export {};\n',
    'pkg/x.log': 'x\n',
    'other.ts': 'x\n',
  });
  t.after(repo.dispose);
  const profile = await recon(path.join(repo.dir, 'pkg'));
  assert.deepEqual(
    profile.files.map((file) => file.path),
    ['src/a.ts'],
  );
  assert.equal(profile.git.available, true);
});

test('recon gives the same profile twice', async (t) => {
  const repo = makeRepo({
    'package.json': '{"scripts": {"test": "node --test"}}\n',
    'src/a.ts': 'export const a = 1;\n',
    'test/a.test.ts': "import test from 'node:test';\n",
  });
  t.after(repo.dispose);
  assert.deepEqual(await recon(repo.dir), await recon(repo.dir));
});

test('recon hands over the texts it read exactly as they are on disk, leaving out files whose byte-order mark the decoder dropped', async (t) => {
  const repo = makeRepo({
    'src/app.ts': 'export const port = 3000;\r\n',
    'src/legacy.js': '\uFEFFmodule.exports = 1;\n',
    'package.json': '{ "name": "app" }\n',
  });
  t.after(repo.dispose);
  const texts = new Map<string, string>();
  await recon(repo.dir, { texts });
  for (const [file, text] of texts) assert.equal(text, readFileSync(path.join(repo.dir, file), 'utf8'), file);
  assert.equal(texts.get('src/app.ts'), 'export const port = 3000;\r\n');
  assert.ok(texts.has('package.json'));
  assert.equal(texts.has('src/legacy.js'), false, 'a reader must read the BOM file itself');
});
