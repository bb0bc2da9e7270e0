import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/config/config.ts';
import { UsageError } from '../../src/core/errors.ts';

describe('config: models and prices', () => {
  it('reads model roles, an OpenAI-compatible base URL and price overrides', () => {
    const config = parseConfig(
      [
        'models:',
        '  planner: anthropic:claude-sonnet-4-5',
        '  executor: ollama:qwen2.5-coder:7b',
        '  base_url: http://localhost:8000/v1',
        'prices:',
        '  "openai-compatible:qwen": { input: 0.2, output: 0.6 }',
        '  "anthropic:claude-sonnet-4-5": { input: 3, output: 15, cache_read: 0.3, cache_write: 3.75 }',
        '',
      ].join('\n'),
      '.improve.yml',
    );
    assert.deepEqual(config.models, {
      planner: 'anthropic:claude-sonnet-4-5',
      executor: 'ollama:qwen2.5-coder:7b',
      baseUrl: 'http://localhost:8000/v1',
    });
    assert.deepEqual(config.prices?.get('openai-compatible:qwen'), {
      input: 0.2,
      output: 0.6,
      cacheRead: 0.2,
      cacheWrite: 0.2,
    });
    assert.deepEqual(config.prices?.get('anthropic:claude-sonnet-4-5'), {
      input: 3,
      output: 15,
      cacheRead: 0.3,
      cacheWrite: 3.75,
    });
  });

  it('rejects an unknown provider, an unknown key and a price without output, with exit code 2', () => {
    for (const [text, message] of [
      ['models:\n  planner: gemini:pro\n', /models\.planner: "gemini:pro" is not provider:model/],
      ['models:\n  auditor: openai:gpt-5\n', /unknown key "models\.auditor"/],
      ['prices:\n  "openai:gpt-5": { input: 1 }\n', /needs both "input" and "output"/],
      ['models:\n  base_url: localhost:8000\n', /must be an http\(s\) URL/],
    ] as const) {
      assert.throws(
        () => parseConfig(text, '.improve.yml'),
        (error: unknown) =>
          error instanceof UsageError && error.exitCode === 2 && message.test(error.message),
      );
    }
  });
});
