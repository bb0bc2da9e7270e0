import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import stringWidth from 'string-width';
import { renderTable } from '../../src/cli/render-table.ts';

const COLUMNS = [
  { header: '#', align: 'right' as const },
  { header: 'finding', flexible: true },
  { header: 'evidence' },
];

/** Where each line's third column starts, in terminal columns. */
function thirdColumnStarts(table: string): number[] {
  return table
    .split('\n')
    .filter((line) => !line.startsWith('─'))
    .map((line) => {
      const cells = line.split(/ {2,}/);
      return stringWidth(line) - stringWidth(cells.slice(2).join('  '));
    });
}

describe('renderTable', () => {
  it('aligns plain columns and shrinks a flexible one with an ellipsis', () => {
    const rows = [
      ['1', 'Empty catch around a database write', 'src/db.js:6'],
      ['10', 'SQL built from request data', 'src/api.js:12'],
    ];
    assert.equal(
      renderTable(COLUMNS, rows, 120),
      [
        ' #  finding                              evidence',
        '──  ───────────────────────────────────  ─────────────',
        ' 1  Empty catch around a database write  src/db.js:6',
        '10  SQL built from request data          src/api.js:12',
      ].join('\n'),
    );
    const narrow = renderTable(COLUMNS, rows, 35);
    assert.ok(narrow.split('\n').every((line) => stringWidth(line) <= 35));
    assert.equal(narrow.split('\n')[2], ' 1  Empty catch aro…  src/db.js:6');
  });

  it('measures wide and combining characters by the columns a terminal gives them', () => {
    const rows = [
      ['1', '日本語のコメントに TODO が集中', 'src/日本.js:3'],
      ['2', 'Emoji 👍🏽 in a title, é combined', 'src/a.js:1'],
      ['3', 'plain', 'src/b.js:1'],
    ];
    const table = renderTable(COLUMNS, rows, 120);
    assert.equal(new Set(thirdColumnStarts(table)).size, 1, table);
    const narrow = renderTable(COLUMNS, rows, 30);
    assert.ok(
      narrow.split('\n').every((line) => stringWidth(line) <= 30),
      narrow,
    );
    // Five wide characters and the ellipsis fill 11 of the 12 columns; one space pads the cell.
    assert.equal(narrow.split('\n')[2], '1  日本語のコ…   src/日本.js:3');
  });

  it('loads string-width only for a table that needs it', () => {
    const module = path.resolve(
      path.dirname(fileURLToPath(import.meta.url)),
      '../../src/cli/render-table.ts',
    );
    const loads = (cell: string) =>
      execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { registerHooks } from 'node:module';
let loaded = false;
registerHooks({ resolve(specifier, context, next) { if (specifier === 'string-width') loaded = true; return next(specifier, context); } });
const { renderTable } = await import(${JSON.stringify(module)});
renderTable([{ header: 'finding' }], [[${JSON.stringify(cell)}]], 80);
process.stdout.write(String(loaded));`,
        ],
        { encoding: 'utf8' },
      );
    assert.equal(loads('Empty catch around a database write'), 'false');
    // A cell shortened to fit ends with an ellipsis, which is one column too.
    assert.equal(loads('Empty catch around a database write, shortened…'), 'false');
    assert.equal(loads('日本語'), 'true');
  });
});
