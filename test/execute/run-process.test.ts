import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { outputTail, projectEnv, runProcess } from '../../src/execute/run-process.ts';

describe('running an executor or a check', { concurrency: true }, () => {
  it('ends a command that prints without end at the output limit, keeping the tail', async () => {
    const started = Date.now();
    const result = await runProcess({
      command: ['yes'],
      cwd: process.cwd(),
      timeoutMs: 20_000,
      maxOutputBytes: 200_000,
      keepBytes: 1_000,
    });
    assert.equal(result.outputLimited, true);
    assert.equal(result.exitCode, null);
    assert.ok(result.stdout.length <= 2_000 && result.stdout.endsWith('y\n'));
    assert.ok(Date.now() - started < 10_000);
  });

  it('gives the command its input and reports its exit code', async () => {
    const result = await runProcess({
      command: ['read line; echo "got $line"; exit 3'],
      shell: true,
      cwd: process.cwd(),
      input: 'hello\n',
      timeoutMs: 10_000,
    });
    assert.deepEqual([result.exitCode, result.stdout, result.timedOut], [3, 'got hello\n', false]);
  });

  it('redacts credentials in the output tail it keeps as evidence', () => {
    const tail = outputTail('ok\nconnecting with AKIAQ7XZ3LMN4PRS5TUV\n');
    assert.equal(tail, 'ok\nconnecting with [REDACTED:aws-access-key-id]');
  });

  it('runs checks in a project folder with its Python code first on the import path, before an editable install', async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'improve-project-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(path.join(dir, 'src'));
    const result = await runProcess({
      command: ['python3 -c "import os, sys; print(sys.path[1:3])"'],
      shell: true,
      cwd: path.join(dir),
      env: projectEnv(dir),
      timeoutMs: 10_000,
    });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(
      result.stdout.trim(),
      `[${JSON.stringify(dir).replace(/"/g, "'")}, ${JSON.stringify(path.join(dir, 'src')).replace(/"/g, "'")}]`,
    );
  });
});
