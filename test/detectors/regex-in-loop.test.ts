import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { regexInLoop } from '../../src/detectors/performance/regex-in-loop.ts';
import { detect } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence[0]?.startLine, f.confidence, f.evidence[1]?.startLine]);

describe('performance/regex-in-loop', () => {
  it('flags a constant or outer-built pattern compiled on every iteration', () => {
    const findings = detect(regexInLoop, {
      'src/search.ts': [
        'export function highlight(rows: string[], term: string) {',
        '  const out = [];',
        '  for (const row of rows) {',
        "    const word = new RegExp('\\\\bTODO\\\\b', 'i');",
        '    const hit = new RegExp(`(${escape(term)})`, "gi");',
        '    out.push(row.replace(hit, "<b>$1</b>"), word.test(row));',
        '  }',
        '  return rows.filter((row) => RegExp(term).test(row));',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [4, 'MED', 3],
      [5, 'MED', 3],
      [8, 'MED', undefined],
    ]);
    assert.match(findings[0]?.message ?? '', /pattern is a constant/);
    assert.match(findings[1]?.message ?? '', /does not change inside the loop/);
    assert.match(findings[0]?.doneCheck ?? '', /^! grep -qF -- /);
  });

  it('flags Python re.compile in a loop at LOW (the module caches patterns)', () => {
    const findings = detect(regexInLoop, {
      'app/parse.py': [
        'import re',
        'def parse(lines):',
        '    for line in lines:',
        "        m = re.compile(r'^(\\w+)=(.*)$').match(line)",
        '        yield m',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [[4, 'LOW', 3]]);
    assert.match(findings[0]?.message ?? '', /caches compiled patterns/);
  });

  it('leaves patterns built from the current item, hoisted ones, lazy caches and error paths alone', () => {
    const findings = detect(regexInLoop, {
      'src/ok.ts': [
        "const WORD = new RegExp('\\\\w+', 'g');",
        'let cached: RegExp | undefined;',
        'export function check(patterns: string[], value: string, names: string[]) {',
        '  for (const pattern of patterns) {',
        '    if (new RegExp(pattern).test(value)) return true;',
        "    if (!cached) cached = new RegExp('^x+$');",
        '  }',
        '  const keys = names.map((name) => new RegExp(`^${name}:`));',
        '  for (const name of names) {',
        '    if (!name) throw new Error(`bad ${names.map(() => new RegExp("x").source)}`);',
        '  }',
        '  return WORD.test(value) || keys.length > 0;',
        '}',
      ].join('\n'),
      'app/ok.py': [
        'import re',
        "WORD = re.compile(r'\\w+')",
        'def run(patterns, text):',
        '    return [re.compile(p).search(text) for p in patterns]',
      ].join('\n'),
      // Directus's image metadata: five tags, written out; a pattern per tag is five patterns.
      'src/utils/parse-image-metadata.js': [
        'export function parseIptc(text) {',
        '  const out = {};',
        '  ["caption", "credit", "byline", "title", "keywords"].forEach((key) => {',
        '    const item = new RegExp("<li>(.*?)</li>", "g");',
        '    out[key] = text.match(item);',
        '  });',
        '  for (const tag of ["a", "b"]) out[tag] = new RegExp("x").test(text);',
        '  return out;',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
    // A long list, or one that grows with the input, still rebuilds the pattern per item.
    const spread = detect(regexInLoop, {
      'src/tags.js':
        'export const f = (tags, text) => [...tags, "x"].map((t) => new RegExp("<li>").test(text));\n',
    });
    assert.deepEqual(summary(spread), [[1, 'MED', undefined]]);
  });
});
