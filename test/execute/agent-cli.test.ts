import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { executePlan } from '../../src/api/execute.ts';
import { UsageError } from '../../src/core/errors.ts';
import { ADD_TEST, COMMIT, DROP_FLAG, plannedRepo, report } from '../helpers/execute-fixture.ts';
import { tempDir } from '../helpers/repo.ts';

const AGENTS = ['claude', 'codex', 'aider', 'opencode'] as const;

/** A stand-in for an agent CLI: records how it was called, fixes the plan, reports. */
function fakeAgent(trace: string): string {
  return [
    '#!/bin/sh',
    'set -e',
    `OUT=${trace}/$(basename "$0")`,
    'mkdir -p "$OUT"',
    'printf "%s\\n" "$@" > "$OUT/args"',
    'pwd > "$OUT/cwd"',
    'if [ ! -t 0 ]; then cat > "$OUT/stdin"; fi',
    'FILE=src/client.js',
    'NAME=client',
    DROP_FLAG,
    ADD_TEST,
    COMMIT.replace('$1', 'Verify certificates'),
    'echo "I changed the file and ran the checks."',
    report('DONE', 'src/client.js'),
  ].join('\n');
}

// These tests put fake agent CLIs on PATH (process-wide), so they run one after the other.
describe('agent CLI executors', () => {
  it('run each agent in its non-interactive mode in the worktree, with the executor prompt', async (t) => {
    const bin = tempDir('improve-bin-');
    t.after(bin.dispose);
    const trace = path.join(bin.dir, 'trace');
    mkdirSync(trace);
    for (const name of AGENTS) {
      writeFileSync(path.join(bin.dir, name), fakeAgent(trace));
      chmodSync(path.join(bin.dir, name), 0o755);
    }
    const saved = process.env.PATH;
    process.env.PATH = `${bin.dir}${path.delimiter}${saved}`;
    t.after(() => {
      process.env.PATH = saved;
    });
    const fixtures = await Promise.all(AGENTS.map(() => plannedRepo()));
    t.after(() => {
      for (const fixture of fixtures) fixture.dispose();
    });
    const results = await Promise.all(
      AGENTS.map((name, index) =>
        executePlan('1', { cwd: fixtures[index]?.dir ?? '', executor: name, criteriaTimeoutSeconds: 30 }),
      ),
    );
    assert.deepEqual(
      results.map((result) => [result.executor, result.verdict]),
      AGENTS.map((name) => [name, 'APPROVE']),
    );
    const read = (name: string, what: string) => readFileSync(path.join(trace, name, what), 'utf8');
    const args = (name: string) => read(name, 'args').trim().split('\n');
    for (const [index, name] of AGENTS.entries()) {
      assert.equal(read(name, 'cwd').trim(), results[index]?.workdir, `${name} works in the worktree`);
    }
    assert.deepEqual(args('claude').slice(0, 5), [
      '-p',
      '--output-format',
      'text',
      '--permission-mode',
      'acceptEdits',
    ]);
    assert.match(read('claude', 'stdin'), /^# Carry out improvement plan 001[\s\S]*=== PLAN 001 BEGIN ===/);
    assert.deepEqual(args('codex'), ['exec', '--sandbox', 'workspace-write', '-']);
    assert.match(read('codex', 'stdin'), /=== PLAN 001 END ===/);
    const aider = args('aider');
    assert.equal(aider[aider.indexOf('--message-file') + 1], results[2]?.promptFile);
    assert.deepEqual(aider.slice(-2), ['src/client.js', 'test/client.test.js']);
    assert.equal(args('opencode')[0], 'run');
    assert.match(read('opencode', 'args'), /=== PLAN 001 BEGIN ===/);
  });

  it('refuse, naming how to install them, when they are not on PATH', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const saved = process.env.PATH;
    process.env.PATH = `${path.dirname(process.execPath)}:/usr/bin:/bin`;
    t.after(() => {
      process.env.PATH = saved;
    });
    for (const name of AGENTS) {
      await assert.rejects(executePlan('1', { cwd: fixture.dir, executor: name }), (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.equal(error.exitCode, 2);
        assert.match(
          error.message,
          new RegExp(`${name} is not installed \\(not found on PATH\\)\\. Install it with \`[^\`]+\``),
        );
        return true;
      });
    }
  });
});
