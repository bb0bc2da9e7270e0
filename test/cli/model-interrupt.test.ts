import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { openModels } from '../../src/cli/model-options.ts';
import { createOutput } from '../../src/cli/output.ts';
import { tempDir } from '../helpers/repo.ts';

function quietOutput() {
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  return createOutput({ stdout: sink as NodeJS.WriteStream, stderr: sink as NodeJS.WriteStream, env: {} });
}

const env = { ANTHROPIC_API_KEY: 'test-key', IMPROVE_PLANNER: 'anthropic:claude-sonnet-4-5' };

describe('Ctrl-C with a model session', () => {
  it('a command that has its own Ctrl-C signal gets no second handler, and the session stops with it', (t) => {
    const temp = tempDir('improve-interrupt-');
    t.after(temp.dispose);
    const before = process.listenerCount('SIGINT');
    const controller = new AbortController();
    const models = openModels({}, temp.dir, {
      command: 'reconcile',
      uses: ['planner'],
      output: quietOutput(),
      env,
      signal: controller.signal,
    });
    try {
      assert.ok(models.session, 'the planner is configured');
      assert.equal(process.listenerCount('SIGINT'), before, 'no handler of its own: one warning per Ctrl-C');
      assert.equal(models.interrupted(), false);
      controller.abort();
      assert.equal(models.interrupted(), true);
    } finally {
      models.dispose();
    }
  });

  it('without one, the session handles Ctrl-C itself and lets go of it when disposed', (t) => {
    const temp = tempDir('improve-interrupt-');
    t.after(temp.dispose);
    const before = process.listenerCount('SIGINT');
    const models = openModels({}, temp.dir, {
      command: 'plan',
      uses: ['planner'],
      output: quietOutput(),
      env,
    });
    assert.equal(process.listenerCount('SIGINT'), before + 1);
    models.dispose();
    assert.equal(process.listenerCount('SIGINT'), before);
  });
});
