import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { bareExceptPass } from '../../src/detectors/correctness/bare-except-pass.ts';
import { detect } from '../helpers/detector.ts';
import { tempDir, writeTree } from '../helpers/repo.ts';

const SOURCE = [
  'def load(path):',
  '    try:',
  '        return read(path)',
  '    except:',
  '        pass',
  '    try:',
  '        os.remove(path)',
  '    except Exception as error: ...',
  '',
].join('\n');

/** Runs a finding's done check against `text` written as the cited file; returns the exit code. */
function runCheck(check: string, file: string, text: string): number {
  const temp = tempDir();
  try {
    writeTree(temp.dir, { [file]: text });
    execFileSync('sh', ['-c', check], { cwd: temp.dir, stdio: 'ignore' });
    return 0;
  } catch (error) {
    return (error as { status?: number }).status ?? 1;
  } finally {
    temp.dispose();
  }
}

describe('correctness/bare-except-pass', () => {
  it('flags bare except and except Exception whose body only passes', () => {
    const findings = detect(bareExceptPass, { 'app/io.py': SOURCE });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.startLine, f.evidence[0]?.endLine, f.confidence]),
      [
        [4, 5, 'HIGH'],
        [8, 8, 'HIGH'],
      ],
    );
  });

  it('has a done check that fails while a swallowing handler remains and passes once one is fixed', () => {
    const [finding] = detect(bareExceptPass, { 'app/io.py': SOURCE });
    const check = finding?.doneCheck ?? '';
    assert.equal(runCheck(check, 'app/io.py', SOURCE), 1);
    const fixed = SOURCE.replace(
      '    except:\n        pass',
      '    except FileNotFoundError:\n        return None',
    );
    assert.equal(runCheck(check, 'app/io.py', fixed), 0);
  });

  it('leaves specific exceptions, real handling and commented ignores alone', () => {
    const findings = detect(bareExceptPass, {
      'app/ok.py': [
        'try:',
        '    import ujson as json',
        'except ImportError:',
        '    pass',
        'try:',
        '    run()',
        'except Exception:',
        '    logger.exception("run failed")',
        'try:',
        '    cleanup()',
        'except Exception:  # best effort: the temp dir may already be gone',
        '    pass',
        'try:',
        '    run()',
        'except (KeyError, ValueError):',
        '    pass',
      ].join('\n'),
    });
    assert.deepEqual(findings, []);
  });
});
