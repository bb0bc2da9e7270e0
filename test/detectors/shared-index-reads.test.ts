import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RepoReader } from '../../src/audit/repo-reader.ts';
import { unusedExport } from '../../src/detectors/direction/unused-export.ts';
import { circularImport } from '../../src/detectors/tech-debt/circular-import.ts';
import { godModule } from '../../src/detectors/tech-debt/god-module.ts';
import { unusedFile } from '../../src/detectors/tech-debt/unused-file.ts';
import type { RepoContext } from '../../src/detectors/types.ts';
import { profileFor } from '../helpers/detector.ts';
import { tempDir, writeTree } from '../helpers/repo.ts';

describe('detectors sharing the whole-repository index', () => {
  it('each one reads every file the index depends on, so a result cache tracks changes to any of them', (t) => {
    const temp = tempDir('improve-index-');
    t.after(temp.dispose);
    const files = {
      'package.json': JSON.stringify({ name: 'app', private: true, main: 'src/index.js' }),
      'src/index.js': "import { a } from './a.js';\nconsole.log(a);\n",
      'src/a.js': 'export const a = 1;\n',
      'src/b.js': 'export const b = 2;\n',
    };
    writeTree(temp.dir, files);
    const profile = profileFor(temp.dir, files);
    const reader = new RepoReader(temp.dir);
    for (const detector of [circularImport, godModule, unusedFile, unusedExport]) {
      const reads = new Set<string>();
      const context: RepoContext = {
        profile,
        read: (file) => {
          reads.add(file);
          return reader.read(file);
        },
      };
      detector.check(context);
      for (const file of ['src/index.js', 'src/a.js', 'src/b.js', 'package.json'])
        assert.ok(reads.has(file), `${detector.id} reads ${file}`);
    }
  });
});
