import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { makeRepo } from '../helpers/repo.ts';

/** JavaScript an executor would take literally in a plan about a Python file. */
const JAVASCRIPT =
  /\bconst\b|=>|===|\bnpm\b|\bnpx\b|JSON\.parse|\$1\b|process\.env|\bPromise\.|node-serialize|\bJavaScript\b|\bMap\b|\beslint\b/;

/** A Django app with a small frontend whose package.json lints and builds `frontend/` only. */
const DJANGO_WITH_FRONTEND = {
  'requirements.txt': 'django>=4.2\npyyaml\n',
  'setup.cfg': '[flake8]\nmax-line-length = 100\n\n[tool:pytest]\nDJANGO_SETTINGS_MODULE = shop.settings\n',
  'package.json': `${JSON.stringify({ private: true, scripts: { lint: 'eslint frontend', build: 'esbuild frontend/app.js --bundle --outfile=shop/static/app.js' } }, null, 2)}\n`,
  'frontend/app.js':
    'export function total(items) {\n  return items.reduce((sum, item) => sum + item.price, 0);\n}\n',
  'shop/__init__.py': '',
  'shop/views.py': [
    'import pickle',
    '',
    'from django.db import connection',
    'from django.http import JsonResponse',
    '',
    '',
    'def restore(request):',
    '    state = pickle.loads(request.body)',
    '    return JsonResponse({"ok": bool(state)})',
    '',
    '',
    'def titles(request):',
    '    ids = request.GET.getlist("id")',
    '    result = []',
    '    with connection.cursor() as cursor:',
    '        for book_id in ids:',
    '            cursor.execute("SELECT title FROM shop_book WHERE id = %s", [book_id])',
    '            result.append(cursor.fetchone()[0])',
    '    return JsonResponse(result, safe=False)',
    '',
  ].join('\n'),
  'shop/tests/__init__.py': '',
  'shop/tests/test_views.py':
    'from django.test import TestCase\n\n\nclass ViewTests(TestCase):\n    def test_titles(self):\n        self.assertEqual(self.client.get("/titles/").status_code, 200)\n',
};

describe('plans for a Python repository', () => {
  it('speak Python and verify with its tools, not the frontend’s npm lint', (t) => {
    const repo = makeRepo(DJANGO_WITH_FRONTEND);
    t.after(repo.dispose);
    const run = runCli([repo.dir, '--top', '10'], { env: { IMPROVE_OFFLINE: '1' } });
    assert.equal(run.code, 0, run.stderr);
    const dir = path.join(repo.dir, 'plans');
    const plans = readdirSync(dir)
      .filter((name) => /^\d{3}-.*\.md$/.test(name))
      .map((name) => readFileSync(path.join(dir, name), 'utf8'));
    const aboutViews = plans.filter((text) => /^title: .*shop\/views\.py/m.test(text));
    const titles = aboutViews.map((text) => /^title: (.*)$/m.exec(text)?.[1]);
    assert.ok(
      titles.some((title) => /deserialisation/i.test(title ?? '')),
      titles.join('\n'),
    );
    assert.ok(
      titles.some((title) => /N\+1/.test(title ?? '')),
      titles.join('\n'),
    );
    for (const text of aboutViews) {
      const title = /^title: (.*)$/m.exec(text)?.[1];
      // The plan's own advice: the quoted code and the index of commands are the repository's.
      const advice = text.replace(/^## Current state[\s\S]*?(?=^## )/m, '');
      assert.doesNotMatch(advice, JAVASCRIPT, `${title}: ${JAVASCRIPT.exec(advice)?.[0]}`);
      assert.match(text, /\*\*Verify\*\*: `flake8` → exit 0/, `${title}: verifies with flake8`);
      assert.match(text, /\*\*Verify\*\*: `pytest && flake8` → exit 0/, `${title}: full verification`);
    }
  });

  it('set up pytest in a service with only a requirements.txt, which they let the executor change', (t) => {
    const repo = makeRepo({
      'requirements.txt': 'fastapi\nuvicorn\n',
      'service/__init__.py': '',
      'service/main.py':
        'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/health")\ndef health():\n    return {"ok": True}\n',
    });
    t.after(repo.dispose);
    const run = runCli([repo.dir, '--top', '3'], { env: { IMPROVE_OFFLINE: '1' } });
    assert.equal(run.code, 0, run.stderr);
    const dir = path.join(repo.dir, 'plans');
    const name = readdirSync(dir).find((file) => /^\d{3}-no-tests/.test(file));
    assert.ok(name, readdirSync(dir).join(', '));
    const text = readFileSync(path.join(dir, name), 'utf8');
    assert.match(text, /^ {4}- path: requirements\.txt\n {6}reason: cited by the finding$/m);
    assert.match(text, /pip install pytest/);
    assert.doesNotMatch(text, /package\.json|\bnpm\b/);
  });
});
