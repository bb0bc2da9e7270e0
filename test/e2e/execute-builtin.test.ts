import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runCliAsync } from '../helpers/cli-async.ts';
import { plannedRepo, planText, userState } from '../helpers/execute-fixture.ts';
import { type FakeReply, type FakeRequest, startFakeLlm } from '../helpers/fake-llm.ts';
import { agentOf, json } from '../helpers/llm-script.ts';

const REPORT = [
  'STATUS: DONE',
  'STEPS COMPLETED: 1, 2, 3',
  'VERIFY RESULTS: npm test → exit 0',
  'FILES CHANGED: src/client.js, test/client.test.js',
  'STOP REASON: none',
  'NOTES: none',
].join('\n');

/** A cheap executor model that fixes the TLS flag and adds its test with its tools, and a reviewer that approves. */
function script(request: FakeRequest): FakeReply {
  const agent = agentOf(request);
  if (agent === 'reviewer')
    return json({ verdict: 'APPROVE', notes: 'Verification is back on; nothing else changed.' });
  if (agent !== 'executor') return { text: 'unexpected' };
  if (request.turn === 0) return { toolCalls: [{ name: 'read_file', input: { path: 'src/client.js' } }] };
  if (request.turn === 1)
    return {
      toolCalls: [
        {
          name: 'edit_file',
          input: { path: 'src/client.js', old: '    rejectUnauthorized: false,\n', new: '' },
        },
      ],
    };
  if (request.turn === 2)
    return {
      toolCalls: [
        {
          name: 'edit_file',
          input: {
            path: 'test/client.test.js',
            old: "  assert.equal(clientOptions('example.com').path, '/status');\n});\n",
            new: "  assert.equal(clientOptions('example.com').path, '/status');\n});\n\ntest('clientOptions keeps certificate verification on', () => {\n  assert.equal(clientOptions('example.com').rejectUnauthorized, undefined);\n});\n",
          },
        },
      ],
    };
  if (request.turn === 3) return { toolCalls: [{ name: 'run_command', input: { command: 'npm test' } }] };
  return { text: REPORT };
}

describe('improve execute with the builtin executor on a model (fake server)', () => {
  it('goes from a plan to an APPROVED branch with an executor and a reviewer model, recording the cost', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const server = await startFakeLlm(script);
    t.after(() => server.close());
    const before = userState(fixture.dir);
    const run = await runCliAsync(['execute', '1', '--model', 'anthropic:claude-haiku-4-5'], {
      cwd: fixture.dir,
      env: {
        ANTHROPIC_API_KEY: 'test-key',
        ANTHROPIC_BASE_URL: server.url,
        IMPROVE_REVIEWER: 'anthropic:claude-sonnet-4-5',
      },
    });
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /APPROVE/);
    assert.match(planText(fixture, '001'), /^status: DONE/m);
    assert.equal(userState(fixture.dir), before, "the user's tree, index and branches are untouched");
    const agents = server.requests.map(agentOf);
    assert.ok(agents.includes('executor') && agents.includes('reviewer'), agents.join(','));
    const ledger = readFileSync(path.join(fixture.dir, '.git/improve/ledger.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { role: string });
    assert.deepEqual([...new Set(ledger.map((entry) => entry.role))].sort(), ['executor', 'reviewer']);
  });
});
