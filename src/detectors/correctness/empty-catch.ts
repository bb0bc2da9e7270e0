import type { FileDetector } from '../types.ts';

/** A catch block that is empty or only logs: the error is swallowed and the caller never knows. */
export const emptyCatch: FileDetector = {
  id: 'correctness/empty-catch',
  category: 'correctness',
  scope: 'file',
  languages: ['typescript', 'tsx', 'javascript'],
  title: 'Error swallowed by an empty or log-only catch',
  description:
    'This catch block discards the error (it is empty or only logs it), so a failed operation looks like a successful one to every caller and the failure surfaces later, far from its cause.',
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'Re-throwing or returning an error changes only the failure path; the success path is untouched.',
  confidence: 'HIGH',
  fixSketch:
    'Decide what the caller should see: re-throw (wrapped with context), return a typed error value, or handle the failure explicitly. If ignoring is truly intended, say why in a comment inside the block.',
  steps: [
    'Read the function around the catch block and find every caller of it, to learn what they expect on failure.',
    'Replace the empty or log-only catch body with explicit handling: re-throw with context (`throw new Error("…", { cause: error })`) or return the error to the caller, following how the rest of the file reports failures.',
    'Add a test that makes the guarded call fail and asserts that the failure reaches the caller.',
  ],
  rule: {
    rule: {
      kind: 'catch_clause',
      has: {
        field: 'body',
        kind: 'statement_block',
        not: {
          has: {
            kind: 'expression_statement',
            not: {
              has: {
                kind: 'call_expression',
                has: { field: 'function', regex: '^console\\.(log|error|warn|info|debug)$' },
              },
            },
          },
        },
      },
      not: {
        has: {
          field: 'body',
          has: { any: [{ kind: 'comment' }, { kind: 'throw_statement' }, { kind: 'return_statement' }] },
        },
      },
    },
  },
  match(node, file) {
    const range = node.range();
    return { file: file.path, startLine: range.start.line + 1, endLine: range.end.line + 1 };
  },
};
