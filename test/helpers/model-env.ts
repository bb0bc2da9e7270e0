/** What the e2e tests of model-backed commands share: a fake model server and the CLI's environment for it. */
import type { TestContext } from 'node:test';
import { type FakeServer, startFakeLlm } from './fake-llm.ts';

/** Keys and endpoints for the real SDK clients, pointed at the fake server; no user key leaks in. */
export function modelEnv(server: FakeServer, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ANTHROPIC_API_KEY: 'test-key',
    ANTHROPIC_BASE_URL: server.url,
    OPENAI_API_KEY: '',
    IMPROVE_PLANNER: '',
    IMPROVE_EXECUTOR: '',
    IMPROVE_REVIEWER: '',
    ...extra,
  };
}

/** A fresh model server per test, closed after it, so that the tests can run at the same time. */
export async function serverFor(t: TestContext): Promise<FakeServer> {
  const server = await startFakeLlm();
  t.after(() => server.close());
  return server;
}
