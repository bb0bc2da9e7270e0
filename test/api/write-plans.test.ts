import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { audit } from '../../src/api/audit.ts';
import { FILES_PER_PLAN } from '../../src/api/fix-groups.ts';
import { selectTop, tableFindings } from '../../src/api/select.ts';
import { writeAuditPlans } from '../../src/api/write-plans.ts';
import { fixedClock } from '../../src/core/clock.ts';
import type { Category } from '../../src/core/types.ts';
import { makeRepo } from '../helpers/repo.ts';

const VIEWS = [
  'from django.http import HttpResponseRedirect',
  'from django.contrib.auth import login, logout',
  '',
  'def login_view(request):',
  "    next_page = request.GET.get('next', '/')",
  '    login(request, request.user)',
  '    return HttpResponseRedirect(next_page)',
  '',
  'def logout_view(request):',
  "    next_page = request.GET.get('next', '/')",
  '    logout(request)',
  '    return HttpResponseRedirect(next_page)',
  '',
].join('\n');

/** An audit (of `category`) of a new repository holding `files`, and the findings of `rule`. */
async function auditedFor(
  t: { after: (fn: () => void) => void },
  files: Record<string, string>,
  category: Category,
  rule: string,
) {
  const repo = makeRepo(files);
  t.after(repo.dispose);
  const result = await audit({
    path: repo.dir,
    focus: [category],
    clock: fixedClock('2026-11-25'),
    cache: false,
  });
  return { repo, result, found: result.findings.filter((f) => f.ruleId === rule) };
}

/** A security audit of a new repository holding `files`, and its open-redirect findings. */
async function audited(t: { after: (fn: () => void) => void }, files: Record<string, string>) {
  const { repo, result, found } = await auditedFor(t, files, 'security', 'security/open-redirect');
  return { repo, result, redirects: found };
}

describe('writeAuditPlans', () => {
  it('writes one plan for the findings of one rule in one file, done when every place is fixed', async (t) => {
    const { repo, result, redirects } = await audited(t, {
      'app/views.py': VIEWS,
      'app/other.py': 'import pickle\n\ndef load(request):\n    return pickle.loads(request.body)\n',
    });
    assert.equal(redirects.length, 2);
    const written = writeAuditPlans(result, selectTop(result.findings, 5));
    const plan = written.plans.find((p) => p.title.includes('open redirect'));
    assert.ok(plan, written.plans.map((p) => p.title).join('\n'));
    assert.deepEqual([...plan.findings].sort(), redirects.map((f) => f.id).sort());
    assert.equal(written.plans.length, 2, 'one plan for the two redirects, one for pickle');
    const text = readFileSync(path.join(result.plans.dir, `${plan.id}-${plan.slug}.md`), 'utf8');
    assert.match(text, /The same problem is at 1 more place in this file \(line 12\)/);
    assert.match(text, /`app\/views\.py:7-7`[\s\S]*`app\/views\.py:12-12`/);
    assert.match(text, /The code to change is in `app\/views\.py`, at each of lines 7, 12\./);

    // The done check fails until both redirects are fixed, wherever the fix goes (the read or the
    // redirect), and passes once they are.
    const check = plan.doneCriteria[0]?.run ?? '';
    const passes = () => spawnSync('bash', ['-c', check], { cwd: repo.dir }).status === 0;
    const file = path.join(repo.dir, 'app/views.py');
    assert.equal(passes(), false);
    const lines = VIEWS.split('\n');
    lines[6] = '    return HttpResponseRedirect(safe_target(next_page))';
    writeFileSync(file, lines.join('\n'));
    assert.equal(passes(), false, 'one of two fixed');
    lines[9] = "    next_page = safe_target(request.GET.get('next', '/'))";
    writeFileSync(file, lines.join('\n'));
    assert.equal(passes(), true, execFileSync('cat', [file], { encoding: 'utf8' }));
  });

  it('brings the other findings of a selected finding’s rule and file into its plan', async (t) => {
    const { result, redirects } = await audited(t, { 'app/views.py': VIEWS });
    const written = writeAuditPlans(result, { findings: redirects.slice(0, 1), note: 'one picked' });
    assert.equal(written.plans.length, 1);
    assert.deepEqual([...(written.plans[0]?.findings ?? [])].sort(), redirects.map((f) => f.id).sort());
  });

  it('writes one plan for the same small fix in many files, up to FILES_PER_PLAN of them, done when each is', async (t) => {
    const files = Object.fromEntries(
      Array.from({ length: 10 }, (_, n) => [
        `client/api${n}.py`,
        `import requests\n\n\ndef fetch_${n}(url):\n    return requests.get(url).json()\n`,
      ]),
    );
    const {
      repo,
      result,
      found: timeouts,
    } = await auditedFor(t, files, 'correctness', 'correctness/request-without-timeout');
    assert.equal(timeouts.length, 10);
    const rows = tableFindings(result.findings, result.level).filter((f) => f.ruleId === timeouts[0]?.ruleId);
    assert.equal(rows.length, 1, 'one row in the table');
    const written = writeAuditPlans(result, { findings: rows, note: 'the row' });
    assert.equal(written.plans.length, 1);
    const plan = written.plans[0];
    assert.ok(plan);
    assert.equal(plan.findings.length, FILES_PER_PLAN);
    assert.equal(plan.title, `HTTP request without a timeout in ${FILES_PER_PLAN} files`);
    const covered = plan.scope.in
      .filter((entry) => entry.reason === 'cited by the finding')
      .map((e) => e.path);
    assert.equal(covered.length, FILES_PER_PLAN);
    const text = readFileSync(path.join(result.plans.dir, `${plan.id}-${plan.slug}.md`), 'utf8');
    assert.match(text, /The same problem is at 7 more places \(client\/api1\.py:5, /);
    assert.match(text, /2 more files have it too: they are left for another plan/);
    assert.match(
      text,
      /Open each place quoted under \*\*Current state\*\*, starting with `client\/api0\.py`/,
    );
    assert.match(
      text,
      /The code to change is at each of these places: `client\/api0\.py:5`, `client\/api1\.py:5`/,
    );

    // The done check passes only once every covered file has its timeout.
    const check = plan.doneCriteria[0]?.run ?? '';
    assert.ok(!check.includes('\n'), 'one line');
    assert.equal(check.match(/python3 -c/g)?.length, 1, 'one program for every covered call');
    const passes = () => spawnSync('bash', ['-c', check], { cwd: repo.dir }).status === 0;
    assert.equal(passes(), false);
    const fix = (file: string) =>
      writeFileSync(
        path.join(repo.dir, file),
        readFileSync(path.join(repo.dir, file), 'utf8').replace(
          'requests.get(url)',
          'requests.get(url, timeout=10)',
        ),
      );
    const [last, ...others] = [...covered].reverse();
    for (const file of others) fix(file);
    assert.equal(passes(), false, 'one covered file still without a timeout');
    fix(last ?? '');
    assert.equal(passes(), true);
  });
});
