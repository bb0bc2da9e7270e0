// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are fixture source code that contains template literals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathTraversal } from '../../src/detectors/security/path-traversal.ts';
import { detect } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]);

describe('security/path-traversal', () => {
  it('flags fs calls and sendFile on paths built from Express/Koa request data', () => {
    const findings = detect(pathTraversal, {
      'src/routes/files.ts': [
        "import fs from 'node:fs';",
        "import path from 'node:path';",
        "import { readFile } from 'node:fs/promises';",
        "router.get('/files/:name', (req, res) => {",
        "  const file = path.join(__dirname, '..', 'uploads', req.params.name);",
        '  res.sendFile(file);',
        '});',
        "router.get('/export', async (req, res) => {",
        '  const { report } = req.query;',
        '  const text = await readFile(`${REPORTS}/${report}.csv`, "utf8");',
        '  res.type("csv").send(text);',
        '});',
        "router.delete('/avatar', (req, res) => {",
        '  fs.unlinkSync(AVATARS + "/" + req.body.avatar);',
        '  res.sendStatus(204);',
        '});',
        "router.get('/download', async (ctx) => {",
        '  ctx.body = fs.createReadStream(path.resolve(ROOT, ctx.query.path));',
        '});',
        "app.get('/tutorial/:page', (req, res) => res.render('tutorial/' + req.params.page));",
        "app.get('/keys/:file', ({ params }, res) => res.sendFile(path.resolve('keys/', params.file)));",
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/routes/files.ts', 6, 'HIGH'],
      ['src/routes/files.ts', 10, 'HIGH'],
      ['src/routes/files.ts', 14, 'HIGH'],
      ['src/routes/files.ts', 18, 'HIGH'],
      ['src/routes/files.ts', 20, 'HIGH'],
      ['src/routes/files.ts', 21, 'HIGH'],
    ]);
    assert.match(findings[0]?.message ?? '', /req\.params\.name/);
    assert.deepEqual(
      findings[0]?.evidence.map((e) => e.startLine),
      [6, 5],
    );
    assert.match(findings[2]?.message ?? '', /writes or deletes/);
  });

  it('flags a path joined from request data that this function never hands to a file call (MED)', () => {
    const findings = detect(pathTraversal, {
      'src/storage.js': [
        "const path = require('path');",
        'function targetFor(req) {',
        '  return path.join(STORAGE_DIR, req.query.bucket, req.query.key);',
        '}',
        "router.post('/erase', (req, res) => {",
        '  const layout = path.resolve(req.body.layout).toLowerCase();',
        "  if (!layout.includes('ftp')) res.render('erased', { ...req.body });",
        '});',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/storage.js', 3, 'MED'],
      ['src/storage.js', 6, 'MED'],
    ]);
  });

  it('leaves contained paths, basename, sendFile with root, lookups and non-request paths alone', () => {
    const findings = detect(pathTraversal, {
      'src/routes/safe.ts': [
        "import fs from 'node:fs';",
        "import path from 'node:path';",
        "router.get('/a/:name', (req, res) => {",
        '  res.sendFile(req.params.name, { root: PUBLIC_DIR });',
        '});',
        "router.get('/b/:name', (req, res) => {",
        '  const full = path.resolve(UPLOADS, req.params.name);',
        '  if (!full.startsWith(UPLOADS + path.sep)) return res.sendStatus(400);',
        '  fs.createReadStream(full).pipe(res);',
        '});',
        "router.get('/c/:name', (req, res) => {",
        '  res.download(path.join(UPLOADS, path.basename(req.params.name)));',
        '});',
        "router.get('/d/:id', (req, res) => {",
        '  res.sendFile(path.join(UPLOADS, FILES[req.params.id]));',
        '});',
        'export function load(configPath: string) {',
        "  return fs.readFileSync(path.join(process.cwd(), configPath), 'utf8');",
        '}',
        "router.get('/k/:file', ({ params }, res, next) => {",
        "  if (params.file.includes('/')) return next(new Error('no slashes'));",
        "  res.sendFile(path.resolve('encryptionkeys/', params.file));",
        '});',
        "router.get('/v', (req, res) => res.render('search', { q: req.query.q }));",
        "router.get('/e', (req, res) => {",
        "  const name = req.query.name.replace(/[^a-z0-9-]/g, '');",
        '  res.sendFile(path.join(UPLOADS, name + ".png"));',
        '});',
        // Node-RED's debug view: the root given through a local options object.
        "router.get('/debug/view/*', function (req, res) {",
        "  var options = { root: path.join(__dirname, 'lib', 'debug'), dotfiles: 'deny' };",
        '  res.sendFile(req.params[0], options, (err) => err && res.sendStatus(404));',
        '});',
        // Node-RED Dashboard: the options set up once by the module function, read by each route.
        'module.exports = function (RED) {',
        "  const optsjs = { root: path.join(__dirname, '../dist/js'), dotfiles: 'deny' };",
        "  RED.httpAdmin.get('/ui_base/js/*', function (req, res) {",
        '    res.sendFile(req.params[0], optsjs, (err) => err && res.sendStatus(404));',
        '  });',
        '};',
        // NodeBB: the temporary file multer/connect-multiparty wrote, removed after a failure.
        "router.post('/upload', (req, res, next) => {",
        '  const uploadedFile = req.files.files[0];',
        '  fs.unlink(uploadedFile.path, () => next());',
        '  fs.rename(req.file.path, path.join(UPLOADS, `${Date.now()}.png`), next);',
        '});',
        // NodeBB's admin uploads: the temporary file handed to a helper of this file, removed there.
        'function upload(name, req, res, next) {',
        '  var uploadedFile = req.files.files[0];',
        '  if (validateUpload(req, res, next, uploadedFile, allowedImageTypes)) next();',
        '}',
        'function validateUpload(req, res, next, uploadedFile, allowedTypes) {',
        '  if (allowedTypes.indexOf(uploadedFile.type) === -1) {',
        '    fs.unlink(uploadedFile.path, () => {});',
        '    return false;',
        '  }',
        '  return true;',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
  });

  it('still follows the file name the client sent with an upload', () => {
    const findings = detect(pathTraversal, {
      'src/routes/upload.ts': [
        "import fs from 'node:fs';",
        "router.post('/upload', (req, res) => {",
        '  fs.writeFileSync(path.join(UPLOADS, req.file.originalname), req.file.buffer);',
        '});',
        // Juice Shop's zip upload: opened for writing by the mode, not the function's name.
        "router.post('/zip', (req, res) => {",
        '  const tempFile = path.join(os.tmpdir(), req.file.originalname.toLowerCase());',
        "  fs.open(tempFile, 'w', (err, fd) => fs.write(fd, req.file.buffer, () => {}));",
        "  fs.open(req.query.log, 'r', (err, fd) => res.end());",
        '});',
        // A helper given the client's file name, not the stored path, is still followed.
        'function keep(req, res) {',
        '  saveAs(req.file, req.body.folder);',
        '}',
        'function saveAs(file, folder) {',
        '  fs.writeFileSync(path.join(UPLOADS, folder, file.originalname), file.buffer);',
        '}',
      ].join('\n'),
    });
    assert.equal(findings.length, 4);
    assert.match(findings[1]?.message ?? '', /^`fs\.open\(\)` writes or deletes a file/);
    assert.match(findings[2]?.message ?? '', /^`fs\.open\(\)` reads a file/);
  });

  it('flags files written under an archive entry’s name without a containment check (Zip Slip)', () => {
    const findings = detect(pathTraversal, {
      // Juice Shop's complaint upload: a check that the path is somewhere under the working folder.
      'routes/fileUpload.ts': [
        "import unzipper from 'unzipper';",
        'export function unpack(tempFile, next) {',
        '  fs.createReadStream(tempFile).pipe(unzipper.Parse()).on("entry", function (entry) {',
        '    const fileName = entry.path;',
        "    const absolutePath = path.resolve('uploads/complaints/' + fileName);",
        "    if (absolutePath.includes(path.resolve('.'))) {",
        "      entry.pipe(fs.createWriteStream('uploads/complaints/' + fileName));",
        '    }',
        '  });',
        '}',
      ].join('\n'),
      'lib/extract.js': [
        "const AdmZip = require('adm-zip');",
        'function extract(archive, target) {',
        '  new AdmZip(archive).getEntries().forEach((zipEntry) => {',
        '    fs.writeFileSync(path.join(target, zipEntry.entryName), zipEntry.getData());',
        '  });',
        '}',
        'function extractSafely(archive, target) {',
        '  new AdmZip(archive).getEntries().forEach((zipEntry) => {',
        '    const full = path.resolve(target, zipEntry.entryName);',
        '    if (!full.startsWith(target + path.sep)) throw new Error("outside");',
        '    fs.writeFileSync(full, zipEntry.getData());',
        '  });',
        '}',
        'function list(archive) {',
        '  new AdmZip(archive).getEntries().forEach((zipEntry) => {',
        '    console.log(fs.readFileSync(path.join(cache, zipEntry.entryName)));',
        '  });',
        '}',
      ].join('\n'),
      // No archive library: an `entry` of something else.
      'lib/journal.js':
        'function save(entry) {\n  fs.writeFileSync(path.join(dir, entry.path), entry.body);\n}\n',
      // node-gyp's install.js uses tar, and copies a directory listing's entries.
      'lib/install.js': [
        "const tar = require('tar');",
        'async function copyDirectory(src, dest) {',
        '  for (const entry of await fs.readdir(src, { withFileTypes: true })) {',
        '    await fs.copyFile(path.join(src, entry.path), path.join(dest, entry.path));',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['routes/fileUpload.ts', 7, 'MED'],
        ['lib/extract.js', 4, 'MED'],
      ],
    );
    assert.match(findings[1]?.message ?? '', /archive entry's name \(`zipEntry\.entryName`\).*Zip Slip/);
  });

  it('flags open() and send_file() on request data in Flask and FastAPI (Python)', () => {
    const findings = detect(pathTraversal, {
      'app/files.py': [
        'import os',
        'from pathlib import Path',
        'from flask import request, send_file',
        '',
        "@app.route('/report')",
        'def report():',
        "    name = request.args.get('name')",
        '    with open(os.path.join(REPORT_DIR, name)) as fh:',
        '        return fh.read()',
        '',
        "@app.route('/raw')",
        'def raw():',
        "    return send_file(REPORT_DIR + '/' + request.args['f'])",
        '',
        "@api.get('/logs/{name:path}')",
        'def log(name: str):',
        '    return (Path(LOG_DIR) / name).read_text()',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['app/files.py', 8, 'HIGH'],
      ['app/files.py', 13, 'HIGH'],
      ['app/files.py', 17, 'HIGH'],
    ]);
  });

  it('leaves secure_filename, send_from_directory, single-segment route params and constants alone (Python)', () => {
    const findings = detect(pathTraversal, {
      'app/safe.py': [
        'import os',
        'from flask import request, send_from_directory',
        'from werkzeug.utils import secure_filename',
        '',
        "@app.route('/upload', methods=['POST'])",
        'def upload():',
        "    name = secure_filename(request.files['file'].filename)",
        "    with open(os.path.join(UPLOADS, name), 'wb') as fh:",
        "        fh.write(request.files['file'].read())",
        '',
        "@app.route('/files/<name>')",
        'def files(name):',
        '    return send_from_directory(UPLOADS, name)',
        '',
        "@app.route('/docs/<page>')",
        'def docs(page):',
        "    return open(os.path.join(DOCS, page + '.md')).read()",
        '',
        'def settings():',
        "    return open(os.path.join(BASE, 'settings.toml')).read()",
      ].join('\n'),
      // A test patched with mock.patch is not a route, and its `self` is not the request (locust).
      'locust/test/test_stats.py': [
        'from unittest import mock',
        'class TestCsvStats(LocustTestCase):',
        '    STATS_HISTORY_FILENAME = f"{STATS_BASE_NAME}_stats_history.csv"',
        '    @mock.patch("locust.stats.CSV_STATS_INTERVAL_SEC", new=0.2)',
        '    def test_csv_stats_writer(self, interval=None):',
        '        with open(self.STATS_HISTORY_FILENAME) as f:',
        '            rows = list(csv.DictReader(f))',
        '        with open(interval) as g:',
        '            pass',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
  });
});
