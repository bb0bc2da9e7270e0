import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { xxe } from '../../src/detectors/security/xxe.ts';
import { detect } from '../helpers/detector.ts';
import { tempDir, writeTree } from '../helpers/repo.ts';

const run = (command: string, cwd: string) =>
  spawnSync('sh', ['-c', command], { cwd, stdio: 'ignore' }).status;

describe('security/xxe', () => {
  it('flags parsers told to resolve external entities (DVNA bulk import, PyGoat XXE lab)', () => {
    const findings = detect(xxe, {
      'core/appHandler.js': [
        "var libxmljs = require('libxmljs');",
        'module.exports.bulkProducts = function (req, res) {',
        '  if (req.files.products) {',
        "    var products = libxmljs.parseXmlString(req.files.products.data.toString('utf8'), { noent: true, noblanks: true });",
        '    res.send(products.root().text());',
        '  }',
        '};',
      ].join('\n'),
      'routes/fileUpload.ts': [
        "const libxml = require('libxmljs2');",
        'const sandbox = { libxml, data };',
        "const xmlDoc = vm.runInContext('libxml.parseXml(data, { noblanks: true, noent: true, nocdata: true })', sandbox, { timeout: 2000 });",
      ].join('\n'),
      'src/feeds.ts': [
        "import { parseXml } from 'libxmljs2';",
        "const OPTIONS = { 'noent': true };",
        'export const readFeed = (xml: string) => parseXml(xml, OPTIONS);',
      ].join('\n'),
      'introduction/views.py': [
        'from xml.sax import make_parser',
        'from xml.sax.handler import feature_external_ges',
        'from xml.dom.pulldom import parseString',
        'def xxe_parse(request):',
        '    parser = make_parser()',
        '    parser.setFeature(feature_external_ges, True)',
        "    doc = parseString(request.body.decode('utf-8'), parser=parser)",
        '    return doc',
      ].join('\n'),
      'app/xml.py': [
        'from lxml import etree',
        'PARSER = etree.XMLParser(resolve_entities=True)',
        'FETCHING = etree.XMLParser(no_network=False, resolve_entities=False)',
        'def sax(parser):',
        '    parser.setFeature("http://xml.org/sax/features/external-general-entities", 1)',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['core/appHandler.js', 4, 'HIGH'],
        ['routes/fileUpload.ts', 3, 'MED'],
        ['src/feeds.ts', 2, 'MED'],
        ['introduction/views.py', 6, 'MED'],
        ['app/xml.py', 2, 'MED'],
        ['app/xml.py', 3, 'MED'],
        ['app/xml.py', 5, 'MED'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /request data \(`req\.files\.products\.data/);
    assert.match(findings[5]?.message ?? '', /no_network=False.*SSRF/);
  });

  it('leaves parsers with entities off, other libraries, and other noent keys alone', () => {
    const findings = detect(xxe, {
      'src/import.js': [
        "const libxmljs = require('libxmljs');",
        'const doc = libxmljs.parseXml(text, { noent: false, noblanks: true });',
        'const other = libxmljs.parseXml(text);',
      ].join('\n'),
      'src/settings.js': [
        "const text = 'call parseXml(data, { noent: true }) to resolve entities';",
        '// no XML library here: a key that happens to be called noent',
        'module.exports = { noent: true };',
      ].join('\n'),
      'app/safe.py': [
        'from lxml import etree',
        'from xml.sax.handler import feature_external_ges',
        'PARSER = etree.XMLParser(resolve_entities=False, no_network=True)',
        'def sax(parser):',
        '    parser.setFeature(feature_external_ges, False)',
        '    parser.setFeature(feature_namespaces, True)',
      ].join('\n'),
    });
    assert.deepEqual(findings, []);
  });

  it('done checks pass once the option is gone, however the line is rewritten', () => {
    const files = {
      'src/import.js': [
        "const libxmljs = require('libxmljs');",
        'const doc = (req) => libxmljs.parseXml(req.body, { noent: true, noblanks: true });',
      ].join('\n'),
      'app/xml.py': [
        'from lxml import etree',
        'PARSER = etree.XMLParser(resolve_entities=True, no_network=False)',
      ].join('\n'),
    };
    const findings = detect(xxe, files);
    assert.equal(findings.length, 2);
    const temp = tempDir('improve-xxe-');
    try {
      writeTree(temp.dir, files);
      for (const finding of findings)
        assert.notEqual(run(finding.doneCheck ?? '', temp.dir), 0, finding.doneCheck);
      // Only quotes changed: the option is still on.
      const js = path.join(temp.dir, 'src/import.js');
      writeFileSync(
        js,
        readFileSync(js, 'utf8').replace("'libxmljs'", '"libxmljs"').replace('noent: true', "'noent' : true"),
      );
      assert.notEqual(run(findings[0]?.doneCheck ?? '', temp.dir), 0);
      writeFileSync(js, readFileSync(js, 'utf8').replace("'noent' : true, ", ''));
      writeFileSync(
        path.join(temp.dir, 'app/xml.py'),
        'from lxml import etree\nPARSER = etree.XMLParser(resolve_entities=False, no_network=True)\n',
      );
      for (const finding of findings)
        assert.equal(run(finding.doneCheck ?? '', temp.dir), 0, finding.doneCheck);
    } finally {
      temp.dispose();
    }
  });
});
