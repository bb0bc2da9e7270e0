import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brokenLink, resolveLink } from '../../src/detectors/docs/broken-link.ts';
import { noReadme } from '../../src/detectors/docs/no-readme.ts';
import { detect, linesAndConfidence } from '../helpers/detector.ts';

describe('docs/broken-link', () => {
  it('flags relative links (with or without anchors) whose target does not exist', () => {
    const findings = detect(brokenLink, {
      'README.md': [
        '# App',
        'See [the guide](docs/guide.md) and [setup](docs/setup.md#install).',
        '![logo](assets/logo.png)',
        '[api]: ./docs/api.md',
      ].join('\n'),
      'docs/guide.md': 'Back to [readme](../README.md) or [missing](./old/usage.md).',
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['README.md', 2, 'HIGH'],
        ['README.md', 3, 'HIGH'],
        ['README.md', 4, 'HIGH'],
        ['docs/guide.md', 1, 'HIGH'],
      ],
    );
    assert.equal(findings[0]?.title, 'Broken link to docs/setup.md#install in README.md');
    assert.equal(
      findings[0]?.doneCheck,
      "test -e 'docs/setup.md' || ! grep -qF -- '(docs/setup.md#install' 'README.md'",
    );
    assert.match(findings[3]?.message ?? '', /docs\/old\/usage\.md does not exist/);
  });

  it('accepts existing files and folders, root-relative links, and skips URLs, anchors and code', () => {
    const findings = detect(brokenLink, {
      'README.md': [
        '[guide](docs/guide.md) [docs folder](docs/) [root](/src/index.ts) [spaces](docs/my%20notes.md)',
        '[site](https://example.com/x.md) [mail](mailto:a@b.c) [top](#install) [tpl]({{ site.url }}/x.md)',
        '`[not a link](nowhere.md)`',
        '```md',
        '[inside a fence](nowhere.md)',
        '```',
      ].join('\n'),
      'docs/guide.md': '# Guide',
      'docs/my notes.md': '# Notes',
      'src/index.ts': '',
      'fixtures/site/README.md': '[broken on purpose](nope.md)',
    });
    assert.deepEqual(findings, []);
  });

  it('resolves root-relative links in a documentation site against its own folder (undici docs/docs/)', () => {
    const findings = detect(brokenLink, {
      'docs/docs/best-practices/undici-vs-builtin-fetch.md': [
        '- [API Reference: Fetch](/docs/api/Fetch.md)',
        '- [Gone](/docs/api/Gone.md)',
      ].join('\n'),
      'docs/docs/api/Fetch.md': '# Fetch',
    });
    assert.deepEqual(
      findings.map((f) => f.title),
      ['Broken link to /docs/api/Gone.md in docs/docs/best-practices/undici-vs-builtin-fetch.md'],
    );
  });

  it('rates extensionless root links (website pages) and links in change logs LOW (keystone)', () => {
    const findings = detect(brokenLink, {
      'fields/types/s3file/Readme.md': '> Warning: deprecated. Please use the [File](/api/field/File) field.',
      'HISTORY.md': '* improved; users can no longer delete themselves, thanks [Brett Newman](snowkeeper)',
      'README.md': '[guide](docs/guide.md)',
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.confidence]),
      [
        ['fields/types/s3file/Readme.md', 'LOW'],
        ['HISTORY.md', 'LOW'],
        ['README.md', 'HIGH'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /page of the project’s website/);
  });

  it('rates an extensionless link to a markdown page beside it LOW, one to nothing HIGH (LobeChat docs)', () => {
    const findings = detect(brokenLink, {
      'docs/development/i18n/implementation.mdx':
        'See the [New Locale Addition Guide](add-new-locale) and the [FAQ](faq).\n',
      'docs/development/i18n/add-new-locale.mdx': '# Add a locale\n',
    });
    assert.deepEqual(
      findings.map((f) => [f.title, f.confidence]),
      [
        ['Broken link to add-new-locale in docs/development/i18n/implementation.mdx', 'LOW'],
        ['Broken link to faq in docs/development/i18n/implementation.mdx', 'HIGH'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /add-new-locale\.mdx exists: the link names the page/);
  });

  it('rates a link to TypeScript compiled beside it LOW, a missing TypeScript file HIGH (Ghost automations)', () => {
    const findings = detect(brokenLink, {
      'core/server/services/automations/README.md':
        '- [service](service.ts)\n- [repository](repository.ts)\n',
      'core/server/services/automations/service.js': 'module.exports = {};\n',
    });
    assert.deepEqual(
      findings.map((f) => [f.title, f.confidence]),
      [
        ['Broken link to service.ts in core/server/services/automations/README.md', 'LOW'],
        ['Broken link to repository.ts in core/server/services/automations/README.md', 'HIGH'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /service\.js exists: the link may name the TypeScript source/);
  });

  it('rates links in markdown an application ships as data LOW (NodeBB welcome post)', () => {
    const findings = detect(brokenLink, {
      'install/data/welcome.md':
        'To customise your forum, go to the [Administrator Control Panel](../../admin).',
      'docs/setup.md': 'See [the admin guide](../admin).',
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.confidence]),
      [
        ['install/data/welcome.md', 'LOW'],
        ['docs/setup.md', 'HIGH'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /data folder/);
  });

  it('says when a broken link is a web or e-mail address without its scheme, or has doubled parentheses (Sails docs)', () => {
    const findings = detect(brokenLink, {
      'docs/README.md': [
        'See the [Contribution Guide](sailsjs.com/contributing).',
        'Write to [us](inquiries@sailsjs.com).',
        'Read [the notes](notes.md).',
        'Call it from [`initialize()`]((https://sailsjs.com/documentation/initialize)).',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [1, 'HIGH'],
      [2, 'HIGH'],
      [3, 'HIGH'],
      [4, 'HIGH'],
    ]);
    assert.match(findings[3]?.message ?? '', /extra `\(`/);
    assert.match(findings[0]?.message ?? '', /web address without `https:\/\/`/);
    assert.match(findings[1]?.message ?? '', /e-mail address without `mailto:`/);
    assert.doesNotMatch(findings[2]?.message ?? '', /without/);
  });

  it('resolves links against the markdown file folder and refuses to leave the repo', () => {
    assert.equal(resolveLink('docs/a/b.md', '../c.md#x'), 'docs/c.md');
    assert.equal(resolveLink('docs/a.md', '../../outside.md'), undefined);
    assert.equal(resolveLink('README.md', 'http://x/y'), undefined);
  });
});

describe('docs/no-readme', () => {
  it('flags a repository without a root README', () => {
    const findings = detect(noReadme, { 'src/a.ts': '', 'docs/README.md': '# Docs' });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.evidence.length, 0);
    assert.match(findings[0]?.doneCheck ?? '', /readme/);
  });

  it('does not ask an installed Python package for a README (it lives in the metadata), but does an npm one', () => {
    assert.deepEqual(detect(noReadme, { '__init__.py': '' }, { publishedPackage: 'site-packages' }), []);
    assert.deepEqual(detect(noReadme, { '__init__.py': '' }, { publishedPackage: 'dist-packages' }), []);
    assert.equal(detect(noReadme, { 'index.js': '' }, { publishedPackage: 'node_modules' }).length, 1);
  });

  it('accepts README in any case and extension', () => {
    assert.deepEqual(detect(noReadme, { 'readme.rst': 'x' }), []);
    assert.deepEqual(detect(noReadme, { 'README.md': '# x' }), []);
  });
});
