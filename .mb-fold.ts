import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { parseSource } from './src/audit/parse.ts';
import { languageOf } from './src/recon/languages.ts';
const root = '/work/main/bench/corpus/repo';
const files = execSync('git ls-files', { cwd: root, maxBuffer: 1e9 }).toString().split('\n').filter((f) => /\.(js|ts|tsx|mjs|cjs)$/.test(f));
const items = [];
for (const f of files) { const t = readFileSync(`${root}/${f}`, 'utf8'); if (t.length < 1e6) { const lang = languageOf(f)!; const tree = parseSource(lang, t); if (tree) items.push({ t, lang, root: tree.root() }); } }
const CAND = { rule: { any: ['call_expression', 'assignment_expression', 'pair', 'new_expression', 'object', 'augmented_assignment_expression', 'catch_clause', 'switch_statement'].map((kind) => ({ kind })) } };
const ASYNC = { any: [{ kind: 'function_declaration' }, { kind: 'method_definition' }, { kind: 'arrow_function' }, { kind: 'function_expression' }], regex: '\\basync\\b' };
const AWAITS = { kind: 'await_expression' };
const DIRECTIVE = { kind: 'comment', regex: '@ts-(ignore|expect-error)' };
const CASTS = [{ kind: 'as_expression', has: { kind: 'predefined_type', regex: '^any$' } }, { kind: 'type_assertion', has: { kind: 'type_arguments', regex: '^<\\s*any\\s*>$' } }];
for (let rep = 0; rep < 3; rep++) {
  let t0 = performance.now(); let n1 = 0;
  for (const it of items) {
    const ts = it.lang !== 'javascript';
    n1 += it.root.findAll(CAND).length;
    if (/\basync\b/.test(it.t)) n1 += it.root.findAll({ rule: ASYNC }).length;
    if (/\bawait\b/.test(it.t)) n1 += it.root.findAll({ rule: AWAITS }).length;
    if (/@ts-(?:ignore|expect-error)|\bas\s+any\b|<\s*any\s*>/.test(it.t)) n1 += it.root.findAll({ rule: { any: ts ? [DIRECTIVE, ...CASTS] : [DIRECTIVE] } }).length;
  }
  const a = performance.now() - t0;
  t0 = performance.now(); let n2 = 0;
  for (const it of items) {
    const ts = it.lang !== 'javascript';
    const extra = [];
    if (/\basync\b/.test(it.t)) extra.push(ASYNC);
    if (/\bawait\b/.test(it.t)) extra.push(AWAITS);
    if (/@ts-(?:ignore|expect-error)|\bas\s+any\b|<\s*any\s*>/.test(it.t)) extra.push(...(ts ? [DIRECTIVE, ...CASTS] : [DIRECTIVE]));
    n2 += it.root.findAll({ rule: { any: [...CAND.rule.any, ...extra] } }).length;
  }
  const b = performance.now() - t0;
  console.log('separate', a.toFixed(0), n1, 'folded', b.toFixed(0), n2);
}
