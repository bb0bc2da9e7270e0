import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyCatch } from '../../src/detectors/correctness/empty-catch.ts';
import { detect, linesAndConfidence, withCheckTree } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) => linesAndConfidence(findings);

describe('correctness/empty-catch', () => {
  it('flags empty and log-only catches around writes with high confidence', () => {
    const findings = detect(emptyCatch, {
      'src/save.ts': [
        'export async function save(db: Db, row: Row) {',
        '  try {',
        '    await db.insert(row);',
        '  } catch (e) {}',
        '  try {',
        '    await db.flush();',
        '    await queue.send(row);',
        '  } catch (error) {',
        '    console.error(error);',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [4, 'HIGH'],
      [8, 'MED'],
    ]);
    assert.equal(findings[1]?.title, 'Error only logged by a catch, then execution goes on');
  });

  it('is only a LOW lead away from writes', () => {
    const findings = detect(emptyCatch, {
      'src/read.js': [
        'try { parse(text); } catch (e) {}',
        'try { parse(text); } catch (e) { console.warn("bad input", e); }',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [1, 'LOW'],
      [2, 'LOW'],
    ]);
  });

  it('leaves handled, re-thrown, commented and control-flow catches alone', () => {
    const findings = detect(emptyCatch, {
      'src/ok.js': [
        'try { save(); } catch (e) { throw new Error("save failed", { cause: e }); }',
        'try { save(); } catch (e) { return fallback(e); }',
        'try { save(); } catch { /* optional feature: absent on old platforms */ }',
        'try { save(); } catch (e) { metrics.count(e); retry(); }',
        'for (const f of files) { try { text = readFileSync(f); } catch { continue; } }',
        'try { save(); } catch (e) { console.error(e); process.exitCode = 1; }',
        'try { await db.insert(row); } catch (_ignored) {}',
        'try { reader.releaseLock(); } catch {}',
        'try { await socket.close(); } catch (e) {}',
        // Budibase's unlinkSafe: removing a temp file, best effort.
        'try { await unlink(path); } catch (error) { console.log("Failed to delete temp file", error); }',
        // keystone: the linter's rule against empty blocks silenced on purpose, here and above.
        'try {',
        '  azure.createBlobService().deleteBlob(container, filename, function () {});',
        '} catch (e) {} // eslint-disable-line no-empty',
        '// eslint-disable-next-line no-empty',
        'try { db.insert(row); } catch (e) {}',
        // Directus's upload: remove the half-written file, then re-throw the error that matters.
        'try {',
        '  await storage.location(disk).write(key, stream);',
        '} catch (err) {',
        '  try { await storage.location(disk).delete(key); } catch {}',
        '  throw err;',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(findings, []);
    // The same cleanup in a catch that goes on is still a swallowed write failure.
    const swallowed = detect(emptyCatch, {
      'src/upload.js': [
        'try {',
        '  await storage.location(disk).write(key, stream);',
        '} catch (err) {',
        '  try { await storage.location(disk).delete(key); } catch {}',
        '  status = "failed";',
        '}',
      ].join('\n'),
    });
    assert.equal(swallowed.length, 1);
  });

  it('is only a LOW lead when the catch logs a failed best-effort cleanup (webpack cache)', () => {
    const findings = detect(emptyCatch, {
      'lib/cache/PackFileCacheStrategy.js': [
        'class PackFileCacheStrategy {',
        '  async _cleanupUnusedFiles(writtenNames) {',
        '    try {',
        '      for (const file of unreferenced) await unlink(join(this.cacheLocation, file));',
        '      await this._writeUnreferencedFiles(stillUnreferenced);',
        '    } catch (err) {',
        '      this.logger.warn(`Cleanup of unused cache files failed: ${err}`);',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [[6, 'LOW']]);
    assert.equal(findings[0]?.impact, 'LOW');
  });

  it('is only a LOW lead when the try recovers from another error in a catch (LobeChat static file server)', () => {
    const findings = detect(emptyCatch, {
      'src/main/core/StaticFileServerManager.ts': [
        'export class StaticFileServerManager {',
        '  async serve(req, res) {',
        '    try {',
        '      await this.handleHttpRequest(req, res);',
        '    } catch (error) {',
        "      logger.error('Unhandled error in HTTP request handler:', error);",
        '      if (!res.headersSent) {',
        '        try {',
        "          res.writeHead(500, { 'Content-Type': 'text/plain' });",
        "          res.end('Internal Server Error');",
        '        } catch (responseError) {',
        "          logger.error('Failed to send error response:', responseError);",
        '        }',
        '      }',
        '    }',
        '  }',
        '  async save(record) {',
        '    try {',
        '      await db.insert(record);',
        '    } catch (error) {',
        "      logger.error('Failed to save', error);",
        '    }',
        '  }',
        '  async retry(record) {',
        '    try {',
        '      await db.insert(record);',
        '    } catch (error) {',
        '      await queue.push(async () => {',
        '        try {',
        '          await db.insert(record);',
        '        } catch (again) {',
        "          logger.error('Retry failed', again);",
        '        }',
        '      });',
        '      throw error;',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [11, 'LOW'],
      [20, 'MED'],
      [31, 'MED'],
    ]);
  });

  it('leaves a release or close under one guard alone, like an unguarded one (LobeChat proxy dispatcher)', () => {
    const findings = detect(emptyCatch, {
      'src/modules/networkProxy/dispatcher.ts': [
        'export class ProxyDispatcherManager {',
        '  private static async safeDestroyDispatcher(dispatcher: any): Promise<void> {',
        '    try {',
        "      if (dispatcher && typeof dispatcher.destroy === 'function') {",
        '        await dispatcher.destroy();',
        '      }',
        '    } catch (error) {',
        "      logger.warn('Failed to destroy dispatcher:', error);",
        '    }',
        '  }',
        '  static async apply(dispatcher: any, config: any) {',
        '    try {',
        '      if (config.enabled) await dispatcher.update(config);',
        '    } catch (error) {',
        "      logger.warn('Failed to apply proxy:', error);",
        '    }',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [[14, 'MED']]);
  });

  it('is only a LOW lead when a logged failure ends the iteration of a loop (NodeBB loader)', () => {
    const findings = detect(emptyCatch, {
      'loader.js': [
        'Loader.notifyWorkers = function (msg, workerPid) {',
        '  workers.forEach(function (worker) {',
        '    if (parseInt(worker.pid, 10) !== workerPid) {',
        '      try {',
        '        worker.send(msg);',
        '      } catch (e) {',
        "        console.log('[cluster/notifyWorkers] Failed to reach pid ' + workerPid);",
        '      }',
        '    }',
        '  });',
        '};',
        'async function saveAll(items) {',
        '  for (const item of items) {',
        '    try {',
        '      await db.save(item);',
        '    } catch (err) {',
        '      console.error(err);',
        '    }',
        '    await db.update(counter);',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [6, 'LOW'],
      [16, 'MED'],
    ]);
  });

  it('is only a LOW lead inside a function that reports an error (pm2 logError)', () => {
    const findings = detect(emptyCatch, {
      'lib/ProcessContainer.js': [
        'function logError(types, error) {',
        '  try {',
        '    types.forEach(function (type) {',
        "      stds[type] && typeof stds[type].write == 'function' && stds[type].write(error + '\\n');",
        '    });',
        '  } catch (e) { }',
        '}',
        'function login(user) {',
        '  try {',
        '    session.write(user);',
        '  } catch (e) { }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [6, 'LOW'],
      [11, 'HIGH'],
    ]);
  });

  it('is only a LOW lead when a script logs in its outermost code, where nobody called it (Ghost attribution)', () => {
    const findings = detect(emptyCatch, {
      'core/frontend/src/member-attribution.js': [
        '(async function () {',
        '  try {',
        '    storage.save(KEY, JSON.stringify(history));',
        '  } catch (error) {',
        "    console.error('[Member Attribution] Failed with error', error);",
        '  }',
        '})();',
        'try {',
        '  storage.save(KEY, "1");',
        '} catch (error) {',
        '  console.warn(error);',
        '}',
        'const track = function () {',
        '  try {',
        '    storage.save(KEY, "2");',
        '  } catch (error) {',
        '    console.error(error);',
        '  }',
        '};',
        '(() => {',
        '  try {',
        '    storage.save(KEY, "3");',
        '  } catch (error) {}',
        '})();',
      ].join('\n'),
    });
    // A named function has callers; an empty catch is not a logged one.
    assert.deepEqual(summary(findings), [
      [4, 'LOW'],
      [10, 'LOW'],
      [16, 'MED'],
      [23, 'HIGH'],
    ]);
  });

  it('is only a LOW lead when a browser event handler logs (Radicale login form), not in server code', () => {
    const findings = detect(emptyCatch, {
      'web/fn.js': [
        'function onlogin() {',
        '  try {',
        '    logout_btn.classList.remove("hidden");',
        '    session.save(user);',
        '  } catch (err) {',
        '    console.error(err);',
        '  }',
        '  return false;',
        '}',
        'document.getElementById("login").onsubmit = onlogin;',
      ].join('\n'),
      'server/events.js': [
        'function onMessage(db, message) {',
        '  try {',
        '    db.save(message);',
        '  } catch (err) {',
        '    console.error(err);',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [5, 'LOW'],
      [4, 'MED'],
    ]);
  });

  it('is only a LOW lead when the try only records metrics (Uptime Kuma prometheus.js)', () => {
    const findings = detect(emptyCatch, {
      'server/prometheus.js': [
        'const PrometheusClient = require("prom-client");',
        'const monitorStatus = new PrometheusClient.Gauge({ name: "monitor_status" });',
        'class Prometheus {',
        '  update(heartbeat) {',
        '    try {',
        '      monitorStatus.set(this.labels, heartbeat.status);',
        '    } catch (e) {',
        '      log.error("prometheus", e);',
        '    }',
        '    try {',
        '      requestCounter.set(this.labels, 1);',
        '    } catch (e) {',
        '      log.error("prometheus", e);',
        '    }',
        '    try {',
        '      monitorStatus.set(this.labels, heartbeat.status);',
        '      heartbeat.save();',
        '    } catch (e) {',
        '      log.error("prometheus", e);',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [7, 'LOW'],
      [12, 'LOW'],
      [18, 'MED'],
    ]);
  });

  it('is only a LOW lead when the try only writes to a cache (SvelteKit prerender cache)', () => {
    const findings = detect(emptyCatch, {
      'src/runtime/client/prerender.js': [
        'export async function init() {',
        '  try {',
        '    prerender_cache = await caches.open(CACHE_NAME);',
        '    for (const name of await caches.keys()) await caches.delete(name);',
        '  } catch (error) {',
        "    console.warn('Failed to initialize the cache:', error);",
        '  }',
        '  try {',
        '    this.pageCache.set(url, page);',
        '    await cachedUser.save();',
        '  } catch (error) {',
        "    console.warn('Failed to save:', error);",
        '  }',
        '}',
        // Budibase's chat handler: a function that keeps a cache, through a client of any name.
        'const clearCachedConversationId = async (key) => {',
        '  try {',
        '    await client.delete(key);',
        '  } catch (error) {',
        "    console.error('Failed to clear chat conversation cache entry', error);",
        '  }',
        '};',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [5, 'LOW'],
      [11, 'MED'],
      [18, 'LOW'],
    ]);
  });

  it('is only a LOW lead when the logged message says the run goes on (hubot)', () => {
    const findings = detect(emptyCatch, {
      'src/GenHubot.mjs': [
        'function runCommands(dir) {',
        '  try {',
        '    File.mkdirSync(dir, { recursive: true })',
        '  } catch (error) {',
        '    console.log(`${dir} exists, continuing to the next operation.`)',
        '  }',
        '  try {',
        '    File.writeFileSync(dir + "/package.json", "{}")',
        '  } catch (error) {',
        '    console.log("could not write", error)',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [4, 'LOW'],
      [9, 'MED'],
    ]);
  });

  it('is only a LOW lead when the try only makes sure a directory exists (nocobase plugin upload)', () => {
    const findings = detect(emptyCatch, {
      'lib/plugin-manager/options/resource.js': [
        'async function add(ctx) {',
        '  const tmpDir = storagePathJoin("tmp");',
        '  try {',
        '    await fs.promises.mkdir(tmpDir, { recursive: true });',
        '  } catch (error) {',
        '  }',
        '  try {',
        '    await fs.promises.mkdir(path.join(tmpDir, ctx.name));',
        '  } catch (error) {',
        '  }',
        '  await fs.promises.writeFile(path.join(tmpDir, ctx.name, "x"), ctx.file.buffer);',
        '}',
        // Actionhero's pid folder: created if missing, the EEXIST of a second start swallowed;
        // writing the pid file into it reports any other failure.
        'try {',
        '  fs.mkdirSync(pidDir);',
        '} catch (e) {}',
        // Creating the folder and writing into it in one try: the write's failure is swallowed too.
        'try {',
        '  fs.mkdirSync(outDir);',
        '  fs.writeFileSync(path.join(outDir, "report.json"), report);',
        '} catch (e) {}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [5, 'LOW'],
      [9, 'LOW'],
      [15, 'LOW'],
      [19, 'HIGH'],
    ]);
  });

  it('is only a LOW lead in an event listener or a timer callback, which has no caller to tell (Node Media Server)', () => {
    const findings = detect(emptyCatch, {
      'src/api/handlers/events.js': [
        'function stream(req, res) {',
        "  context.eventEmitter.on('postPublish', (session) => {",
        '    try {',
        '      res.write(`event: publish\\ndata: ${JSON.stringify(session)}\\n\\n`);',
        '    } catch (error) {',
        "      logger.debug('SSE write failed', error);",
        '    }',
        '  });',
        '  const ping = setInterval(() => {',
        '    try {',
        "      res.write(': ping\\n\\n');",
        '    } catch (e) {}',
        '  }, 15000);',
        '  function save(data) {',
        '    try {',
        '      res.write(data);',
        '    } catch (e) {}',
        '  }',
        '}',
        // Directus's telemetry: a scheduled job, retried by its schedule the next day.
        "scheduleSynchronizedJob('telemetry', '0 0 * * *', async () => {",
        '  try {',
        '    await db.update({ last_sent: new Date() });',
        '  } catch {}',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [5, 'LOW'],
      [12, 'LOW'],
      [17, 'HIGH'],
      [23, 'LOW'],
    ]);
  });

  it('is only a LOW lead when the try only removes files (jsreport deleteFiles), not when it also writes', () => {
    const findings = detect(emptyCatch, {
      'lib/util/util.js': [
        'exports.deleteFiles = function deleteFiles(dir) {',
        '  try {',
        '    fs.readdirSync(dir).forEach((f) => {',
        '      const file = dir + "/" + f;',
        '      if (fs.statSync(file).isFile()) fs.unlinkSync(file);',
        '      else deleteFiles(file);',
        '    });',
        '    fs.rmdirSync(dir);',
        '  } catch (e) {',
        '  }',
        '};',
        'exports.replace = function replace(file, text) {',
        '  try {',
        '    fs.unlinkSync(file);',
        '    fs.writeFileSync(file, text);',
        '  } catch (e) {',
        '  }',
        '};',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [9, 'LOW'],
      [16, 'HIGH'],
    ]);
    // A stored file or object removed before its record is (Budibase's knowledge base files).
    const stored = detect(emptyCatch, {
      'src/sdk/workspace/ai/knowledgeBase/files.ts': [
        'export async function removeFile(file: KnowledgeBaseFile) {',
        '  if (file.objectStoreKey) {',
        '    try {',
        '      await objectStore.deleteFile(ObjectStoreBuckets.APPS, file.objectStoreKey)',
        '    } catch (error) {',
        '      console.log("Failed to delete knowledge base file from object store", error)',
        '    }',
        '  }',
        '  try {',
        '    await db.deleteRow(file.rowId)',
        '  } catch (error) {',
        '    console.log("Failed to delete the row", error)',
        '  }',
        '  await context.getWorkspaceDB().remove(file)',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(stored), [
      [5, 'LOW'],
      [11, 'MED'],
    ]);
  });

  it('is only a LOW lead when the try only fetches to read (Budibase SharePoint callback), not when it posts', () => {
    const findings = detect(emptyCatch, {
      'src/api/controllers/ai/sharepointAuth.ts': [
        'export async function callback(ctx: Ctx) {',
        '  let account = "unknown"',
        '  try {',
        '    const meResponse = await fetch(`${MICROSOFT_GRAPH_BASE}/me?$select=mail`, {',
        '      headers: { Authorization: bearerToken },',
        '    })',
        '    if (meResponse.ok) {',
        '      const mePayload = await meResponse.json()',
        '      account = mePayload.mail || "unknown"',
        '    }',
        '  } catch (error) {',
        '    console.log("Unable to fetch Microsoft account profile after OAuth", { error })',
        '  }',
        '  try {',
        '    await fetch(url, { method: "POST", body: JSON.stringify({ account }) })',
        '  } catch (error) {',
        '    console.log("Unable to record the account", { error })',
        '  }',
        '  try {',
        '    await fetch(url, options)',
        '  } catch (error) {',
        '    console.log("Unable to call", { error })',
        '  }',
        '  try {',
        '    await fetch(url, { method: "GET" })',
        '  } catch (error) {',
        '    console.log("Unable to read", { error })',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [11, 'LOW'],
      [16, 'MED'],
      [21, 'MED'],
      [26, 'LOW'],
    ]);
  });

  it('is only a LOW lead when the try only sends a message on a connection (MeshCentral meshuser.js)', () => {
    const findings = detect(emptyCatch, {
      'meshuser.js': [
        'function sendPing() { for (i in xsessions) { try { xsessions[i].send(\'{"action":"ping"}\'); } catch (e) { } } }',
        'function relay(agent, command) {',
        '  try { agent.send(JSON.stringify({ action: "dialog", args: { html: command } })); } catch (ex) { }',
        '}',
        // A command sent through an SDK client is a write whose failure matters.
        'async function upload(s3Client, body) {',
        '  try { await s3Client.send(new PutObjectCommand({ Bucket: "b", Body: body })); } catch (ex) { }',
        '}',
        // So is a send followed by more work in the same try.
        'function save(ws, db, row) {',
        '  try { ws.send("saving"); db.insert(row); } catch (ex) { }',
        '}',
        // A socket write with an inline callback, a send that ends the handler, a file sent back.
        'function onData(data) {',
        "  if (this.relaySocket) { var ps = this; try { this.relaySocket.write(data, 'binary', function () { ps.resume(); }); } catch (ex) { } return; }",
        '}',
        'function answer(ws, command, res) {',
        "  try { ws.send(JSON.stringify({ action: 'webrelay', result: 'disabled' })); return; } catch (ex) { }",
        '  try { obj.sendCtrlMsg(JSON.stringify(offer)); } catch (ex) { }',
        "  try { res.sendFile(path.join(root, 'commander.htm')); } catch (ex) { }",
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [1, 'LOW'],
      [3, 'LOW'],
      [6, 'HIGH'],
      [9, 'HIGH'],
      [12, 'LOW'],
      [15, 'LOW'],
      [16, 'LOW'],
      [17, 'LOW'],
    ]);
  });

  it('downgrades a finding in a test file to LOW confidence and labels it', () => {
    const findings = detect(emptyCatch, { 'test/x.test.ts': 'try { a(); } catch (e) {}\n' });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.confidence, 'LOW');
    assert.equal(findings[0]?.fileRole, 'test');
  });

  it('rates a logged failure to write a pid or lock file LOW, other writes as before, and a browser callback that logs LOW (pm2, Node-RED)', () => {
    const daemon = detect(emptyCatch, {
      'lib/Daemon.js': [
        "var fs = require('fs')",
        'function Daemon(opts) { this.pid_path = opts.pid_path }',
        'Daemon.prototype.start = function () {',
        '  try {',
        '    fs.writeFileSync(this.pid_path, process.pid.toString());',
        '  } catch (e) {',
        '    console.error(e.stack || e);',
        '  }',
        '  return this.listen()',
        '}',
        'exports.lockReload = function (lockfile) {',
        '  try {',
        '    fs.writeFileSync(lockfile, Date.now().toString());',
        '    return 0;',
        '  } catch(e) {',
        '    console.error(e.message || e);',
        '  }',
        '}',
        'exports.saveConfig = function (dst, conf) {',
        '  try {',
        '    fs.writeFileSync(dst, JSON.stringify(conf));',
        '  } catch (e) {',
        '    console.error(e.stack || e);',
        '  }',
        '  return true',
        '}',
        'module.exports.Daemon = Daemon',
      ].join('\n'),
    });
    assert.deepEqual(
      daemon.map((f) => [f.evidence[0]?.startLine, f.confidence]),
      [
        [6, 'LOW'],
        [15, 'LOW'],
        [22, 'MED'],
      ],
    );
    const page = detect(emptyCatch, {
      'nodes/core/common/lib/debug/debug.js': [
        '$(function() {',
        '    RED.i18n.init({apiRootUrl:"../../"}, function() {',
        '        try {',
        '            var ui = RED.debug.init({});',
        '            $(".debug-window").append(ui.content);',
        '            window.addEventListener("message", function (evt) { RED.debug.handle(evt.data) });',
        '        } catch(err) {',
        '            console.error(err)',
        '        }',
        '    })',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(
      page.map((f) => f.confidence),
      ['LOW'],
    );
  });

  it('gives a done check that fails while the catch block reads as it does, and passes once its body changed', () => {
    const before = [
      'export function save(db, row) {',
      '  try {',
      '    db.insert(row);',
      '  } catch (err) {',
      '    console.error(err);',
      '  }',
      '  try { db.update(row); } catch (e) {}',
      '}',
      '',
    ].join('\n');
    const findings = detect(emptyCatch, { 'src/save.js': before });
    assert.equal(findings.length, 2);
    const fixed = before
      .replace('    console.error(err);', '    throw new Error("insert failed", { cause: err });')
      .replace('catch (e) {}', 'catch (e) { throw e; }');
    // Laid out anew but still only logging: not a fix.
    const reformatted = before.replace(
      '  } catch (err) {\n    console.error(err);\n  }',
      '  } catch (err) { console.error(err); }',
    );
    withCheckTree({ 'src/save.js': before }, (tree) => {
      const passes = (text: string, check: string) => {
        tree.write('src/save.js', text);
        return tree.run(check) === 0;
      };
      for (const finding of findings) {
        const check = finding.doneCheck ?? '';
        assert.match(check, /^node -e /);
        assert.equal(passes(before, check), false, check);
        assert.equal(passes(fixed, check), true, check);
      }
      assert.equal(passes(reformatted, findings[0]?.doneCheck ?? ''), false);
    });
  });
});

describe('correctness/empty-catch steps', () => {
  it('offer the resolution the rule accepts when ignoring the failure is intended', () => {
    // Node-RED's flows.js: saving `runtimeFlowState` is best effort before the flows start. The
    // steps offered only re-throwing or returning the error, which would stop the flows starting.
    const before = [
      'async function setFlowState(runtime, opts) {',
      '  try {',
      "    runtime.settings.set('runtimeFlowState', opts.state);",
      '  } catch(err) {}',
      "  await runtime.flows.startFlows('full');",
      '}',
    ].join('\n');
    assert.equal(detect(emptyCatch, { 'lib/api/flows.js': before }).length, 1);
    const fix = emptyCatch.steps?.find((step) => /catch body/.test(step)) ?? '';
    assert.match(
      fix,
      /intended[^.]*keep the block and the code it guards, and write a comment inside the block that says why/,
    );
    // Done that way, the rule (which the review runs again) no longer reports it.
    const after = before.replace(
      '} catch(err) {}',
      '} catch(err) {\n    // best effort: the flows start even when the state cannot be saved\n  }',
    );
    assert.equal(detect(emptyCatch, { 'lib/api/flows.js': after }).length, 0);
  });
});
