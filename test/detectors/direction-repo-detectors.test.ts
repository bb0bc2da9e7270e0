import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { todoTheme } from '../../src/detectors/direction/todo-theme.ts';
import { unfinishedPromise } from '../../src/detectors/direction/unfinished-promise.ts';
import { detect } from '../helpers/detector.ts';

describe('direction/todo-theme and direction/unfinished-promise', () => {
  it('finds a TODO theme spread across files and cites the actual TODO lines', () => {
    const findings = detect(todoTheme, {
      'src/users.ts': 'export const a = 1;\n// TODO: cache the user lookup\n// TODO handle errors\n',
      'src/orders.ts': '// TODO cache order totals per customer\nexport const b = 2;\n',
      'src/report.py': '# TODO: caching for the monthly report\n',
      'test/a.test.ts': '// TODO cache in tests too\n',
    });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.category, 'direction');
    assert.match(findings[0]?.title ?? '', /"cache" \(3 TODOs in 3 files\)/);
    assert.deepEqual(
      findings[0]?.evidence.map((e) => [e.file, e.startLine]),
      [
        ['src/orders.ts', 1],
        ['src/report.py', 1],
        ['src/users.ts', 2],
      ],
    );
  });

  it('counts the TODOs of a copied file once (MeshCentral’s translated views), and same-worded TODOs of different files apart', () => {
    const view =
      '<script>\n// TODO: improve terminal auto-size\n// TODO: reconnect the terminal\n</script>\n';
    const findings = detect(todoTheme, {
      'views/default.handlebars': view,
      'views/translations/default_de.handlebars': view,
      'views/translations/default_fr.handlebars': view,
      'views/translations/default_ja.handlebars': view,
      'src/ui.js': '// TODO: i18n\nexport const a = 1;\n',
      'src/menu.js': '// TODO: i18n\nexport const b = 1;\n',
      'src/form.js': '// TODO: i18n\nexport const c = 1;\n',
      // One view per language, each with the one TODO of the original: one sentence, counted once.
      'views/login.handlebars': "QH('warn', 'Password policy'); // TODO: display the password policy here\n",
      'views/translations/login_de.handlebars':
        "QH('warn', 'Kennwort'); // TODO: display the password policy here\n",
      'views/translations/login_fr.handlebars':
        "QH('warn', 'Mot de passe'); // TODO: display the password policy here\n",
      // A short TODO in a view and its translations (`_pt-br`): a copy by its name.
      'views/reset.handlebars': "QH('hint', 'Problem'); // TODO: show problem hint\n",
      'views/translations/reset_de.handlebars': "QH('hint', 'Problem'); // TODO: show problem hint\n",
      'views/translations/reset_pt-br.handlebars': "QH('hint', 'Problema'); // TODO: show problem hint\n",
    });
    // Two TODOs about the terminal in one view (its three copies add nothing): no theme. The same
    // one-line TODO in three files is three places the same work was deferred.
    assert.deepEqual(
      findings.map((f) => f.title),
      ['Recurring theme in TODOs: "i18n" (3 TODOs in 3 files)'],
    );
  });

  it('takes neither the project’s own name nor words of the code for a theme (Ghost, buildbot)', () => {
    const findings = detect(todoTheme, {
      'package.json': JSON.stringify({ name: '@tryghost/ghost-core' }),
      'buildbot/__init__.py': '',
      'core/a.js': '// TODO: ghost should cache the settings here\n',
      'core/b.js': '// TODO ghost admin: cache the session\n',
      'core/c.js': '// TODO: remove when ghost 6 ships, cache it\n',
      'buildbot/x.py': '# TODO: self.master could be None here, use buildbot config\n',
      'buildbot/y.py': '# TODO: pass self through, buildbot expects it\n',
      'buildbot/z.py': '# TODO: self is None in tests; buildbot again\n',
      // buildbot's "build", a word of its name, in unrelated TODOs: its domain, not a theme.
      'buildbot/process/a.py': '# TODO: build properties should be copied\n',
      'buildbot/process/b.py': '# TODO: handle a build that was cancelled\n',
      'buildbot/steps/c.py': '# TODO: log the build number here\n',
    });
    assert.deepEqual(
      findings.map((f) => f.title),
      ['Recurring theme in TODOs: "cache" (3 TODOs in 3 files)'],
    );
  });

  it('takes neither the words of a link nor a generic word for a theme (Auth.js, ra-core)', () => {
    const issue = 'https://github.com/nextauthjs/next-auth/issues/8745#issuecomment-1907799026';
    const findings = detect(todoTheme, {
      'src/providers/fusionauth.ts': `// TODO: ${issue}\nconst a = 1;\n`,
      'src/providers/okta.ts': `// TODO: see ${issue}\n`,
      'src/lib/callback.ts':
        '// TODO: review fallback issuer\n// TODO: review this, see https://example.com/x\n',
      'src/lib/cookie.ts': '// TODO: review chunking\n',
      'src/form/dirty.ts': "// FIXME: we currently don't set default values correctly for arrays\n",
      'src/core/routes.tsx': '// FIXME in v6: make dashboard anonymous by default\n',
      'src/controller/input.ts': "// TODO v6: we shouldn't return a default empty array\n",
      // three.js: `consider` says how sure the author is, not what the work is.
      'src/math/Path.js': '// TODO consider referencing vectors instead of copying?\n',
      'src/renderers/WebGPU.js': '// @TODO: Consider to use GPUCommandEncoder.copyBufferToTexture()\n',
      'src/extras/Curve.js': '// TODO: consider removing this check\n',
      // Flask-Security: three unrelated TODOs that share a verb of approach.
      'flask_security/datastore.py': '# TODO look at removing the session commit\n',
      'flask_security/forms.py': '# TODO: case insensitive look ups\n',
      'flask_security/webauthn.py': '# TODO look at #sctn-credentialcreationoptions-extension\n',
    });
    assert.deepEqual(findings, []);
  });

  it('does not take a quoted mention of the phrase for a promise', () => {
    const files = {
      'README.md':
        '# Lint\n\n| rule | flags |\n| --- | --- |\n| promises | "coming soon" statements and `not yet implemented` stubs |\n',
    };
    assert.deepEqual(detect(unfinishedPromise, files), []);
  });

  it('finds unchecked roadmap items and "coming soon" promises in README/ROADMAP', () => {
    const files = {
      'README.md': '# App\n\nWindows support is coming soon.\n\n```\n- [ ] not a task (code)\n```\n',
      'ROADMAP.md': '# Roadmap\n- [x] CLI\n- [ ] Plugin API\n- [ ] Web dashboard\n* [ ] SSO login\n',
      '.github/PULL_REQUEST_TEMPLATE.md': '- [ ] Tests pass\n',
      'CONTRIBUTING.md': '- [ ] Sign the CLA\n',
    };
    const findings = detect(unfinishedPromise, files);
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence.map((e) => e.startLine)]),
      [
        ['ROADMAP.md', [3, 4, 5]],
        ['README.md', [3]],
      ],
    );
    assert.match(findings[0]?.message ?? '', /"Plugin API" \(line 3\)/);
  });

  it('gives at most four direction findings across both detectors, highest signal first', () => {
    const todos: Record<string, string> = {};
    for (const word of ['cache', 'pagination', 'retries']) {
      for (const file of ['a', 'b', 'c']) todos[`src/${word}-${file}.ts`] = `// TODO ${word} here\n`;
    }
    const files = {
      ...todos,
      'ROADMAP.md': '- [ ] one\n- [ ] two\n',
      'README.md': 'Export is coming soon.\n',
      'docs/README.md': '- [ ] translate\n',
    };
    const findings = detect([unfinishedPromise, todoTheme], files);
    assert.equal(findings.length, 4);
    assert.deepEqual(
      findings.map((f) => f.ruleId),
      [
        'direction/unfinished-promise',
        'direction/unfinished-promise',
        'direction/todo-theme',
        'direction/todo-theme',
      ],
    );
  });

  it('is silent for scattered one-off TODOs and docs without promises', () => {
    const findings = detect([todoTheme, unfinishedPromise], {
      'src/a.ts': '// TODO rename this\n',
      'src/b.ts': '// TODO split the parser\n',
      'src/c.ts': '// TODO log metrics\n',
      'README.md': '# App\n\n- [x] Done feature\n',
    });
    assert.deepEqual(findings, []);
  });
});
