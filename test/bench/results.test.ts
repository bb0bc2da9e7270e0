import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Measurement } from '../../bench/measure.ts';
import { type Results, renderResults } from '../../bench/results.ts';

const MB = 1024 * 1024;

function run(wallSeconds: number, peakRssMiB?: number): Measurement {
  return {
    wallSeconds,
    cpuSeconds: wallSeconds * 1.5,
    exitCode: 0,
    stdout: '',
    ...(peakRssMiB ? { peakRssMiB } : {}),
  };
}

function results(times: {
  cold: number;
  warm: number;
  eslint: number;
  rss?: number;
  branch: number;
}): Results {
  const bytes = 20 * MB;
  return {
    rows: [
      { name: 'read every file (floor)', files: 100, bytes, run: run(0.5, 80) },
      { name: 'ast-grep scan', files: 100, bytes, run: run(5, 60) },
      { name: 'improve standard audit, cold', files: 100, bytes, run: run(times.cold, times.rss) },
      { name: 'improve standard audit, warm (cached)', files: 100, bytes, run: run(times.warm, times.rss) },
      // ESLint reads half the bytes (JavaScript only): compared by throughput.
      { name: 'ESLint', files: 50, bytes: bytes / 2, run: run(times.eslint, 800) },
    ],
    lines: 123_456,
    packages: ['left-pad@1.3.0'],
    rules: 10,
    rulesCopied: 10,
    identical: true,
    machine: 'test machine',
    load: [0.5, 1],
    runs: 1,
    branch: {
      branch: run(times.branch, 200),
      full: run(times.cold, 500),
      edited: 2,
      added: 1,
      scope: 7,
      introduced: 1,
      gateExit: 1,
      addedFile: 'src/new.js',
      leaf: run(0.8, 150),
      leafFile: 'src/leaf.js',
    },
  };
}

function verdictRow(markdown: string, target: string): string {
  const row = markdown.split('\n').find((line) => line.startsWith(`| ${target}`));
  assert.ok(row, `no row for ${target}`);
  return row;
}

describe('bench results', () => {
  it('judges each target from the measurements of the same run', () => {
    const markdown = renderResults(results({ cold: 10, warm: 0.9, eslint: 20, rss: 590, branch: 0.9 }));
    assert.equal(
      verdictRow(markdown, 'cold audit'),
      '| cold audit ≤ 2× the one-pass ast-grep floor | 2.00× | **PASS** |',
    );
    // 20 MB in 10 s against 10 MB in 20 s: 4× the throughput.
    assert.equal(
      verdictRow(markdown, '≥ 4×'),
      '| ≥ 4× faster than ESLint + security plugin (MB/s) | 4.00× | **PASS** |',
    );
    assert.equal(verdictRow(markdown, 'warm'), '| warm re-run ≤ 10% of cold | 9.0% | **PASS** |');
    assert.equal(verdictRow(markdown, 'peak RSS'), '| peak RSS ≤ 600 MiB | 590 MiB | **PASS** |');
    assert.match(verdictRow(markdown, 'branch audit'), /\| 9\.0% wall \(9\.0% CPU\) \| \*\*PASS\*\* \|$/);
    assert.match(markdown, /100 files, 20\.0 MB, 123,456 lines/);
    assert.match(markdown, /its gate exited 1 \(failed on the introduced injection, as it should\)/);
    // The one-file branch: the fixed cost, from the same run's full audit (0.8 s of 10 s).
    assert.match(
      markdown,
      /\| improve branch on a branch that only adds `src\/leaf\.js` \(fixed cost\) \| 0\.80 \| 1\.2 \| 150 \|/,
    );
    assert.match(markdown, /fixed cost: 8\.0% of the full audit's time/);
  });

  it('reports a miss when a target is missed, and n/a when memory was not measured', () => {
    const markdown = renderResults(results({ cold: 12, warm: 1.5, eslint: 20, branch: 2 }));
    assert.match(verdictRow(markdown, 'cold audit'), /2\.40× \| \*\*MISS\*\* \|$/);
    assert.match(verdictRow(markdown, '≥ 4×'), /3\.33× \| \*\*MISS\*\* \|$/);
    assert.match(verdictRow(markdown, 'warm'), /12\.5% \| \*\*MISS\*\* \|$/);
    assert.equal(verdictRow(markdown, 'peak RSS'), '| peak RSS ≤ 600 MiB | n/a MiB | n/a |');
    assert.match(verdictRow(markdown, 'branch audit'), /16\.7% wall .* \*\*MISS\*\* \|$/);
  });

  it('refuses results without the five runs it compares', () => {
    const incomplete = results({ cold: 10, warm: 1, eslint: 20, branch: 1 });
    incomplete.rows.pop();
    assert.throws(() => renderResults(incomplete), /expected five rows/);
  });
});
