import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeRepo } from '../helpers/repo.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Which of yaml and smol-toml mapping `dir` (recon) loads, in a fresh process. */
function reconLoads(dir: string): string[] {
  const recon = path.resolve(here, '../../src/recon/recon.ts');
  const output = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { registerHooks } from 'node:module';
const loaded = new Set();
registerHooks({ resolve(specifier, context, next) { if (specifier === 'yaml' || specifier === 'smol-toml') loaded.add(specifier); return next(specifier, context); } });
const { recon } = await import(${JSON.stringify(recon)});
const profile = await recon(${JSON.stringify(dir)});
process.stdout.write(JSON.stringify({ loaded: [...loaded].sort(), ci: profile.ciFiles }));`,
    ],
    { encoding: 'utf8' },
  );
  const result = JSON.parse(output) as { loaded: string[]; ci: string[] };
  return result.loaded;
}

describe('the YAML and TOML parsers', () => {
  it('are loaded only when there is YAML or TOML to read', (t) => {
    const plain = makeRepo({ 'package.json': '{"name":"a"}\n', 'src/index.js': 'export const a = 1;\n' });
    t.after(plain.dispose);
    assert.deepEqual(reconLoads(plain.dir), []);
    const withCi = makeRepo({
      'package.json': '{"name":"a","scripts":{"test":"node --test"}}\n',
      '.github/workflows/ci.yml':
        'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n',
    });
    t.after(withCi.dispose);
    assert.deepEqual(reconLoads(withCi.dir), ['yaml']);
    const python = makeRepo({ 'pyproject.toml': '[project]\nname = "a"\n', 'a/__init__.py': 'A = 1\n' });
    t.after(python.dispose);
    assert.deepEqual(reconLoads(python.dir), ['smol-toml']);
  });
});
