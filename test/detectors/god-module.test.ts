import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { godModule } from '../../src/detectors/tech-debt/god-module.ts';
import { detect } from '../helpers/detector.ts';
import type { FileTree } from '../helpers/repo.ts';

/** A hub: 600 lines of branching logic that imports five helpers. */
function hub(name: string): string {
  const lines = [1, 2, 3, 4, 5].map((n) => `import { helper${n} } from './helper${n}.js';`);
  for (let i = 0; i < 100; i += 1) {
    lines.push(
      `export function ${name}${i}(value: number) {`,
      `  if (value > ${i}) return helper${(i % 5) + 1}(value);`,
      `  for (let j = 0; j < value; j += 1) value -= j;`,
      '  return value;',
      '}',
      '',
    );
  }
  return lines.join('\n');
}

function repo(big: string): FileTree {
  const files: FileTree = { 'src/core.ts': big };
  for (let n = 1; n <= 5; n += 1)
    files[`src/helper${n}.ts`] = `export const helper${n} = (v: number) => v * ${n};\n`;
  for (let n = 1; n <= 8; n += 1) {
    files[`src/feature${n}.ts`] =
      `import { core${n} } from './core.js';\nexport const feature${n} = () => core${n}(${n});\n`;
  }
  return files;
}

describe('tech-debt/god-module', () => {
  it('flags a module many times the median size that many files import and that imports many', () => {
    const findings = detect(godModule, repo(hub('core')));
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.title, 'src/core.ts is 605 lines and imported by 8 files');
    assert.equal(findings[0]?.confidence, 'MED');
    assert.match(
      findings[0]?.message ?? '',
      /median source file here has 3\), 8 source files import it, it defines 100 exported/,
    );
    assert.equal(findings[0]?.doneCheck, `test "$(wc -l < 'src/core.ts')" -lt 500`);
  });

  it('leaves big data tables, type declarations, small repos and rarely imported files alone', () => {
    const table = [
      "import { helper1 } from './helper1.js';",
      ...Array.from({ length: 700 }, (_, i) => `export const code${i} = helper1(${i});`),
    ].join('\n');
    assert.deepEqual(detect(godModule, repo(table)), []);
    // Big with its documentation only (mongoose's schemaType.js): 60 functions, 900 lines, 300 of code.
    const documented = hub('core')
      .split('\n')
      .slice(0, 5 + 60 * 6)
      .map((line) =>
        line.startsWith('export function')
          ? [
              '/**',
              ...Array.from({ length: 8 }, (_, i) => ` * Documents the function, line ${i}.`),
              ' */',
              line,
            ].join('\n')
          : line,
      )
      .join('\n');
    assert.ok(documented.split('\n').length > 900);
    assert.deepEqual(detect(godModule, repo(documented)), []);
    const small = repo(hub('core'));
    delete small['src/feature1.ts'];
    delete small['src/feature2.ts'];
    delete small['src/feature3.ts'];
    delete small['src/feature4.ts'];
    assert.deepEqual(detect(godModule, small), []);
    assert.deepEqual(
      detect(godModule, { 'src/core.ts': hub('core'), 'src/a.ts': "import './core.js';\n" }),
      [],
    );
  });
});
