import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeRepo } from '../helpers/repo.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Whether mapping `dir` (recon) loads the yaml package, in a fresh process. */
function reconLoadsYaml(dir: string): boolean {
  const recon = path.resolve(here, '../../src/recon/recon.ts');
  const output = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { registerHooks } from 'node:module';
let loaded = false;
registerHooks({ resolve(specifier, context, next) { if (specifier === 'yaml') loaded = true; return next(specifier, context); } });
const { recon } = await import(${JSON.stringify(recon)});
const profile = await recon(${JSON.stringify(dir)});
process.stdout.write(JSON.stringify({ loaded, ci: profile.ciFiles }));`,
    ],
    { encoding: 'utf8' },
  );
  const result = JSON.parse(output) as { loaded: boolean; ci: string[] };
  return result.loaded;
}

describe('the yaml package', () => {
  it('is loaded only when there is YAML to read', (t) => {
    const plain = makeRepo({ 'package.json': '{"name":"a"}\n', 'src/index.js': 'export const a = 1;\n' });
    t.after(plain.dispose);
    assert.equal(reconLoadsYaml(plain.dir), false);
    const withCi = makeRepo({
      'package.json': '{"name":"a","scripts":{"test":"node --test"}}\n',
      '.github/workflows/ci.yml':
        'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n',
    });
    t.after(withCi.dispose);
    assert.equal(reconLoadsYaml(withCi.dir), true);
  });
});
