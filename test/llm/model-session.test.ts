import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { EnvironmentError } from '../../src/core/errors.ts';
import { resolveModelRoles } from '../../src/llm/model-roles.ts';
import { createModelSession, type ModelSessionOptions } from '../../src/llm/model-session.ts';
import { type FakeReply, type FakeServer, startFakeLlm } from '../helpers/fake-llm.ts';
import { tempDir } from '../helpers/repo.ts';

async function serverFor(t: TestContext, reply: (n: number) => FakeReply): Promise<FakeServer> {
  let n = 0;
  const server = await startFakeLlm(() => reply(n++));
  t.after(() => server.close());
  return server;
}

function session(server: FakeServer, options: Partial<ModelSessionOptions> = {}) {
  return createModelSession({
    roles: { planner: 'anthropic:claude-sonnet-4-5' },
    env: {
      ANTHROPIC_API_KEY: 'test-key',
      ANTHROPIC_BASE_URL: server.url,
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: server.url,
    },
    retryDelayMs: 5,
    ...options,
  });
}

const ask = (s: ReturnType<typeof session>, role: 'planner' | 'executor' = 'planner') =>
  s
    .conversation({ role, task: 'test', system: 'You answer briefly.', context: 'STABLE PREFIX' })
    .send('Say OK.');

describe('model session: providers, retries, failures, budget and the ledger', { concurrency: true }, () => {
  it('a role set by flag or environment without its key is an environment error naming what to set', () => {
    assert.throws(
      () => createModelSession({ roles: { planner: 'openai:gpt-5' }, env: {} }),
      (error: unknown) =>
        error instanceof EnvironmentError &&
        error.exitCode === 3 &&
        /planner openai:gpt-5 \(from --planner\) needs an API key: OPENAI_API_KEY is not set/.test(
          error.message,
        ) &&
        /Set OPENAI_API_KEY/.test(error.hint ?? ''),
    );
  });

  it('a planner named only in .improve.yml without a key leaves the run offline and says so', () => {
    const roles = resolveModelRoles({ config: { planner: 'anthropic:claude-sonnet-4-5' }, env: {} });
    const offline = createModelSession({ roles, env: {} });
    assert.equal(offline.has('planner'), false);
    assert.equal(offline.has('reviewer'), false);
    assert.match(
      offline.notes.join('\n'),
      /ANTHROPIC_API_KEY is not set: planner not used, this run stays offline/,
    );
  });

  it('flags beat the environment, which beats the config; the reviewer defaults to the planner', () => {
    const roles = resolveModelRoles({
      flags: { planner: 'openai:gpt-5' },
      env: { IMPROVE_PLANNER: 'anthropic:claude-opus-4-1', IMPROVE_EXECUTOR: 'ollama:qwen2.5-coder:7b' },
      config: { planner: 'anthropic:claude-haiku-4-5', executor: 'openai:gpt-5-mini' },
    });
    assert.deepEqual(roles.planner?.spec, { provider: 'openai', model: 'gpt-5' });
    assert.deepEqual(roles.executor?.spec, { provider: 'ollama', model: 'qwen2.5-coder:7b' });
    assert.equal(roles.executor?.source, 'IMPROVE_EXECUTOR');
    assert.deepEqual(roles.reviewer?.spec, roles.planner?.spec);
  });

  it('retries a 429 after the retry-after the provider asked for, then succeeds and records one call', async (t) => {
    const server = await serverFor(t, (n) =>
      n === 0 ? { status: 429, headers: { 'retry-after-ms': '120' }, error: 'rate limited' } : { text: 'OK' },
    );
    const s = session(server);
    const started = Date.now();
    const reply = await ask(s);
    assert.equal(reply.text, 'OK');
    assert.equal(server.requests.length, 2);
    assert.ok(Date.now() - started >= 120, 'waited as long as retry-after-ms said');
    assert.equal(s.ledger.entries().length, 1);
  });

  it('retries an overloaded Anthropic (529) and a 503 with retry-after in seconds', async (t) => {
    const server = await serverFor(t, (n) =>
      n === 0
        ? { status: 529, error: 'Overloaded' }
        : n === 1
          ? { status: 503, headers: { 'retry-after': '0.05' }, error: 'unavailable' }
          : { text: 'OK' },
    );
    const reply = await ask(session(server));
    assert.equal(reply.text, 'OK');
    assert.equal(server.requests.length, 3);
  });

  it('a call that hangs past the timeout is ended and retried; one that keeps hanging fails the item, saying so', async (t) => {
    const server = await serverFor(t, (n) => (n === 0 ? { text: 'late', delayMs: 10_000 } : { text: 'OK' }));
    const reply = await ask(session(server, { timeoutMs: 1000 }));
    assert.equal(reply.text, 'OK');
    const hanging = await serverFor(t, () => ({ text: 'late', delayMs: 10_000 }));
    const failed = await ask(session(hanging, { timeoutMs: 300, maxRetries: 1 }));
    assert.equal(failed.stopped, 'failed');
    assert.match(failed.problem ?? '', /the call timed out/);
  });

  it('gives up on an item (not the run) after the retries, saying why', async (t) => {
    const server = await serverFor(t, () => ({ status: 500, error: 'boom' }));
    const reply = await ask(session(server, { maxRetries: 2 }));
    assert.equal(reply.stopped, 'failed');
    assert.match(reply.problem ?? '', /HTTP 500: boom/);
    assert.equal(server.requests.length, 3);
  });

  it('an unknown model and an unreachable endpoint are environment errors naming role, provider and fix', async (t) => {
    const server = await serverFor(t, () => ({
      status: 404,
      error: 'model: gpt-nope does not exist',
      errorType: 'invalid_request_error',
    }));
    await assert.rejects(
      ask(session(server, { roles: { planner: 'openai:gpt-nope' } })),
      (error: unknown) => {
        assert.ok(error instanceof EnvironmentError);
        assert.match(
          error.message,
          /planner openai:gpt-nope \(from --planner\): openai does not know the model "gpt-nope"/,
        );
        return true;
      },
    );
    const down = createModelSession({
      roles: { planner: 'ollama:qwen2.5-coder' },
      baseUrl: 'http://127.0.0.1:9/v1',
      env: {},
    });
    await assert.rejects(ask(down), (error: unknown) => {
      assert.ok(error instanceof EnvironmentError);
      assert.match(
        error.message,
        /planner ollama:qwen2.5-coder \(from --planner\): cannot reach http:\/\/127\.0\.0\.1:9\/v1/,
      );
      assert.match(error.hint ?? '', /Is Ollama running\?/);
      return true;
    });
  });

  it('puts the stable prefix in Anthropic’s prompt cache and reads cache tokens from every provider', async (t) => {
    const server = await serverFor(t, () => ({
      text: 'OK',
      usage: { input: 10, output: 5, cacheRead: 700, cacheWrite: 300 },
    }));
    const s = session(server);
    await ask(s);
    const body = JSON.parse(server.bodies[0] ?? '{}');
    assert.deepEqual(body.system[0].cache_control, { type: 'ephemeral' });
    assert.equal(body.messages[0].content[0].text, 'STABLE PREFIX');
    assert.deepEqual(body.messages[0].content[0].cache_control, { type: 'ephemeral' });
    const openai = session(server, { roles: { planner: 'openai:gpt-5-mini' } });
    await ask(openai);
    assert.equal(
      JSON.parse(server.bodies[1] ?? '{}').store,
      false,
      'OpenAI is asked not to store the prompt',
    );
    const [anthropicCall] = s.ledger.entries();
    const [openaiCall] = openai.ledger.entries();
    assert.deepEqual(
      [anthropicCall?.inputTokens, anthropicCall?.cacheReadTokens, anthropicCall?.cacheWriteTokens],
      [10, 700, 300],
    );
    assert.deepEqual([openaiCall?.inputTokens, openaiCall?.cacheReadTokens], [10, 700]);
  });

  it('no call starts whose estimate would cross --max-cost; an aborted run starts none either', async (t) => {
    const server = await serverFor(t, () => ({ text: 'OK' }));
    const poor = session(server, { maxCost: 0.01 });
    const reply = await ask(poor);
    assert.equal(reply.stopped, 'budget');
    assert.equal(poor.budgetRefusals, 1);
    const controller = new AbortController();
    controller.abort();
    const stopped = await ask(session(server, { signal: controller.signal }));
    assert.equal(stopped.stopped, 'aborted');
    assert.equal(server.requests.length, 0);
  });

  it('the ledger sums the scripted usage per role, prices it, appends JSONL, and knows the planner-only cost', async (t) => {
    const server = await serverFor(t, () => ({
      text: 'OK',
      usage: { input: 2000, output: 400, cacheRead: 1000, cacheWrite: 0 },
    }));
    const dir = tempDir();
    t.after(dir.dispose);
    const file = path.join(dir.dir, 'improve', 'ledger.jsonl');
    const s = session(server, {
      roles: { planner: 'anthropic:claude-sonnet-4-5', executor: 'anthropic:claude-haiku-4-5' },
      ledgerFile: file,
    });
    await ask(s, 'planner');
    await ask(s, 'executor');
    await ask(s, 'executor');
    const summary = s.summary();
    const sonnet = (2000 * 3 + 400 * 15 + 1000 * 0.3) / 1e6;
    const haiku = (2000 * 1 + 400 * 5 + 1000 * 0.1) / 1e6;
    assert.deepEqual(
      summary.byRole.map((r) => [r.role, r.calls, r.inputTokens, r.outputTokens, r.cacheReadTokens]),
      [
        ['planner', 1, 2000, 400, 1000],
        ['executor', 2, 4000, 800, 2000],
      ],
    );
    assert.ok(Math.abs(summary.totalUsd - (sonnet + 2 * haiku)) < 1e-12);
    assert.ok(Math.abs((summary.plannerOnlyUsd ?? 0) - 3 * sonnet) < 1e-12);
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.deepEqual(
      lines.map((l) => [
        l.role,
        l.model,
        l.inputTokens,
        l.outputTokens,
        l.cacheReadTokens,
        l.cacheWriteTokens,
      ]),
      [
        ['planner', 'claude-sonnet-4-5', 2000, 400, 1000, 0],
        ['executor', 'claude-haiku-4-5', 2000, 400, 1000, 0],
        ['executor', 'claude-haiku-4-5', 2000, 400, 1000, 0],
      ],
    );
    assert.ok(lines.every((l) => typeof l.latencyMs === 'number' && !JSON.stringify(l).includes('test-key')));
  });

  it('a model without a price is counted in tokens only, unless .improve.yml prices it', async (t) => {
    const server = await serverFor(t, () => ({ text: 'OK', usage: { input: 1_000_000, output: 1_000_000 } }));
    const unpriced = session(server, {
      roles: { planner: 'openai-compatible:my-model' },
      baseUrl: server.url,
    });
    await ask(unpriced);
    assert.equal(unpriced.ledger.entries()[0]?.costUsd, null);
    assert.equal(unpriced.summary().unpricedCalls, 1);
    const priced = session(server, {
      roles: { planner: 'openai-compatible:my-model' },
      baseUrl: server.url,
      prices: new Map([
        ['openai-compatible:my', { input: 0.2, output: 0.6, cacheRead: 0.2, cacheWrite: 0.2 }],
      ]),
    });
    await ask(priced);
    assert.equal(priced.ledger.entries()[0]?.costUsd, 0.8);
  });
});
