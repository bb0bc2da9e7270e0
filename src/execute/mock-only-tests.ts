/**
 * Tests whose only assertions are about mocks (`expect(fn).toHaveBeenCalled()`,
 * `mock.assert_called_once()`): they prove the code called something, not that it did the right
 * thing. The review's test audit fails them alongside tests that assert nothing.
 */
import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { parseSource } from '../audit/parse.ts';
import type { Language } from '../core/types.ts';
import { withoutLiteralAssertions } from '../detectors/tests/literal-assertions.ts';

const JS_TEST: NapiConfig = {
  rule: { kind: 'call_expression', has: { field: 'function', regex: '^(it|test)(\\.only|\\.concurrent)?$' } },
};
const PY_TEST: NapiConfig = { rule: { kind: 'function_definition', regex: '^(async\\s+)?def\\s+test' } };

const JS_EXPECT = /\bexpect\s*\(/g;
const JS_MOCK_MATCHER =
  /\.(?:not\.)?(?:toHaveBeenCalled\w*|toBeCalled\w*|toHaveBeenLastCalledWith|toHaveBeenNthCalledWith|toHaveReturned\w*|toReturn\w*)\s*\(/g;
const JS_SINON = /\bsinon\.assert\.\w+\s*\(/g;
const JS_OTHER =
  /(?<![\w.])assert(?:\.\w+)?\s*\(|\bt\.(?:is|not|deepEqual|equal|true|false|truthy|falsy|ok|throws|rejects|same|strictSame|match|like)\s*\(|\.should\b|\.to\./;

const PY_MOCK =
  /\.assert_(?:called|not_called|has_calls|any_call|awaited)\w*\s*\(|^\s*assert\s+(?:not\s+)?[\w.]+\.(?:called|call_count|call_args(?:_list)?)\b/;
const PY_ASSERT = /^\s*assert\b|\.assert\w*\s*\(|\bpytest\.raises\b/;

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

export function jsAssertsOnlyMocks(body: string): boolean {
  const mocks = count(body, JS_MOCK_MATCHER) + count(body, JS_SINON);
  if (mocks === 0) return false;
  const plainExpects = count(body, JS_EXPECT) - count(body, JS_MOCK_MATCHER);
  return plainExpects <= 0 && !JS_OTHER.test(body.replace(JS_SINON, ''));
}

export function pyAssertsOnlyMocks(body: string): boolean {
  const lines = body.split('\n').filter((line) => PY_ASSERT.test(line) || PY_MOCK.test(line));
  return lines.length > 0 && lines.every((line) => PY_MOCK.test(line));
}

/** A test's body text, without its assertions about constants only (`expect(true).toBe(true)`). */
function testBody(node: SgNode, python: boolean): string | undefined {
  const body = python ? node.field('body') : callbackBody(node);
  return body ? withoutLiteralAssertions(body, python).text : undefined;
}

function callbackBody(node: SgNode): SgNode | null | undefined {
  const args =
    node
      .field('arguments')
      ?.children()
      .filter((child) => child.isNamed()) ?? [];
  const callback = args.find(
    (arg) => arg.kind() === 'arrow_function' || arg.kind() === 'function_expression',
  );
  return callback?.field('body');
}

export interface TestBlock {
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** Its only assertions are about mocks. */
  mockOnly: boolean;
}

/** Every test (`it`/`test` call, Python `def test…`) in `text`, with its line range. */
export function testBlocks(language: Language, text: string): TestBlock[] {
  const root = parseSource(language, text);
  if (!root) return [];
  const python = language === 'python';
  const blocks: TestBlock[] = [];
  for (const node of root.root().findAll(python ? PY_TEST : JS_TEST)) {
    const body = testBody(node, python);
    if (body === undefined) continue;
    const range = node.range();
    blocks.push({
      startLine: range.start.line + 1,
      endLine: range.end.line + 1,
      mockOnly: python ? pyAssertsOnlyMocks(body) : jsAssertsOnlyMocks(body),
    });
  }
  return blocks;
}
