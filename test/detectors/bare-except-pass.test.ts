import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { bareExceptPass } from '../../src/detectors/correctness/bare-except-pass.ts';
import { detect, linesAndConfidence } from '../helpers/detector.ts';
import { tempDir, writeTree } from '../helpers/repo.ts';

const SOURCE = [
  'def load(path):',
  '    try:',
  '        return read(path)',
  '    except:',
  '        pass',
  '    try:',
  '        os.chmod(path, 0o600)',
  '    except Exception as error: ...',
  '',
].join('\n');

/** Runs a finding's done check against `text` written as the cited file; returns the exit code. */
function runCheck(check: string, file: string, text: string): number {
  const temp = tempDir();
  try {
    writeTree(temp.dir, { [file]: text });
    execFileSync('sh', ['-c', check], { cwd: temp.dir, stdio: 'ignore' });
    return 0;
  } catch (error) {
    return (error as { status?: number }).status ?? 1;
  } finally {
    temp.dispose();
  }
}

describe('correctness/bare-except-pass', () => {
  it('flags bare except and except Exception whose body only passes', () => {
    const findings = detect(bareExceptPass, { 'app/io.py': SOURCE });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.startLine, f.evidence[0]?.endLine, f.confidence]),
      [
        [4, 5, 'HIGH'],
        [8, 8, 'HIGH'],
      ],
    );
    // Only the bare one is said to catch KeyboardInterrupt and SystemExit.
    assert.deepEqual(
      findings.map((f) => [f.title.includes('except Exception: pass'), /KeyboardInterrupt/.test(f.message)]),
      [
        [false, true],
        [true, false],
      ],
    );
  });

  it('names `except BaseException: pass` as what it is (aiohttp GunicornWebWorker._run)', () => {
    const [finding] = detect(bareExceptPass, {
      'aiohttp/worker.py': [
        'async def _run(self):',
        '    try:',
        '        while self.alive:',
        '            self.notify()',
        '            await self._wait_next_notify()',
        '    except BaseException:',
        '        pass',
        '    await runner.cleanup()',
      ].join('\n'),
    });
    assert.equal(finding?.evidence[0]?.startLine, 6);
    assert.equal(finding?.title, 'Every exception silently ignored (`except BaseException: pass`)');
    assert.match(
      finding?.message ?? '',
      /every `BaseException` \(KeyboardInterrupt, SystemExit and asyncio cancellation/,
    );
  });

  it('has a done check that fails while a swallowing handler remains and passes once one is fixed', () => {
    const [finding] = detect(bareExceptPass, { 'app/io.py': SOURCE });
    const check = finding?.doneCheck ?? '';
    assert.equal(runCheck(check, 'app/io.py', SOURCE), 1);
    const fixed = SOURCE.replace(
      '    except:\n        pass',
      '    except FileNotFoundError:\n        return None',
    );
    assert.equal(runCheck(check, 'app/io.py', fixed), 0);
  });

  it('leaves specific exceptions, real handling and commented ignores alone', () => {
    const findings = detect(bareExceptPass, {
      'app/ok.py': [
        'try:',
        '    import ujson as json',
        'except ImportError:',
        '    pass',
        'try:',
        '    run()',
        'except Exception:',
        '    logger.exception("run failed")',
        'try:',
        '    cleanup()',
        'except Exception:  # best effort: the temp dir may already be gone',
        '    pass',
        'try:',
        '    run()',
        'except (KeyError, ValueError):',
        '    pass',
      ].join('\n'),
    });
    assert.deepEqual(findings, []);
  });
  it('downgrades fallbacks, releases and handlers inside other handlers (gyp, multiprocessing)', () => {
    const findings = detect(bareExceptPass, {
      'pylib/gyp/mac_tool.py': [
        'def _LoadPlistMaybeBinary(self, plist_path):',
        '    try:',
        '        return plistlib.readPlist(plist_path)',
        '    except Exception:',
        '        pass',
        '    with tempfile.NamedTemporaryFile() as temp:',
        '        shutil.copy2(plist_path, temp.name)',
        '        return plistlib.readPlist(temp.name)',
        'def DebugOutput(mode, message):',
        '    ctx = ("unknown", 0, "unknown")',
        '    try:',
        '        f = traceback.extract_stack(limit=2)',
        '        if f:',
        '            ctx = f[0][:3]',
        '    except:',
        '        pass',
        '    print(ctx, message)',
        'def main(fd):',
        '    for f in (sys.stdin, sys.stdout):',
        '        try:',
        '            f.close()',
        '        except Exception:',
        '            pass',
        'def serve(c, msg):',
        '    try:',
        '        c.send(msg)',
        '    except Exception:',
        '        try:',
        "            c.send(('#TRACEBACK', format_exc()))",
        '        except Exception:',
        '            pass',
        '        util.info("Failure to send message: %r", msg)',
        'def _finalize_manager(process, address):',
        '    if process.is_alive():',
        '        try:',
        '            dispatch(_Client(address), None, "shutdown")',
        '        except Exception:',
        '            pass',
        // CherryPy's PID file plugin: remove the file at exit, and say so.
        'class PIDFile:',
        '    def exit(self):',
        '        try:',
        '            os.remove(self.pidfile)',
        "            self.bus.log('PID file removed: %r.' % self.pidfile)",
        '        except Exception:',
        '            pass',
        // SQLAlchemy-Utils: each frame of the stack tried in turn; the loop's else refuses.
        'def mock_engine(engine, stream=None):',
        '    for frame in inspect.stack()[1:]:',
        '        try:',
        '            exec(expression, frame[0].f_globals, frame[0].f_locals)',
        '            break',
        '        except Exception:',
        '            pass',
        '    else:',
        "        raise ValueError('Not a valid python expression', engine)",
        // paramiko's Channel: a finaliser, where Python ignores what it raises anyway.
        'class Channel:',
        '    def __del__(self):',
        '        try:',
        '            self.flush_pending(1)',
        '        except:',
        '            pass',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [4, 'LOW'],
      [15, 'MED'],
      [22, 'LOW'],
      [30, 'LOW'],
      [37, 'LOW'],
      [44, 'LOW'],
      [51, 'LOW'],
      [59, 'LOW'],
    ]);
    assert.match(findings[0]?.message ?? '', /fallback/);
    assert.ok(findings.every((f) => f.impact === 'LOW'));
  });
  it('downgrades a swallowing handler whose try is explained by a comment next to it (pip)', () => {
    const findings = detect(bareExceptPass, {
      'network/session.py': [
        'def user_agent():',
        '    # If for any reason `rustc --version` fails, silently ignore it',
        '    try:',
        '        rustc_output = subprocess.check_output(["rustc", "--version"], timeout=0.5)',
        '    except Exception:',
        '        pass',
        'def save(data):',
        '    log("saving")',
        '    # write the cache file',
        '    try:',
        '        write(data)',
        '    except Exception:',
        '        pass',
        'def load():',
        '    try:',
        '        # optional: the plugin may not be installed',
        '        import plugin',
        '    except Exception:',
        '        pass',
        // Nova's volume swap and Cinder's 3PAR driver.
        'def swap_volume(dev):',
        '    # Abort is an idempotent operation, so make sure any block',
        '    # jobs which may have failed are ended.',
        '    try:',
        '        dev.abort_job()',
        '    except Exception:',
        '        pass',
        'def disable_replication(client, name):',
        '    # We eat the exception here: when an array goes down, the groups stop automatically.',
        '    try:',
        '        client.stopRemoteCopy(name)',
        '    except Exception:',
        '        pass',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [5, 'LOW'],
      [12, 'HIGH'],
      [18, 'LOW'],
      [25, 'LOW'],
      [31, 'LOW'],
    ]);
    assert.match(
      findings[0]?.message ?? '',
      /a comment next to the `try` says that failing here is expected/,
    );
  });

  it('downgrades drops before a create, optional imports and repr builders (SQLAlchemy)', () => {
    const findings = detect(bareExceptPass, {
      'dialects/mysql/provision.py': [
        'def _mysql_create_db(cfg, eng, ident):',
        '    with eng.begin() as conn:',
        '        try:',
        '            _mysql_drop_db(cfg, conn, ident)',
        '        except Exception:',
        '            pass',
        'def create_connect_args(self, opts):',
        '    try:',
        '        from mysql.connector.constants import ClientFlag',
        '        opts["client_flags"] = ClientFlag.get_default()',
        '    except Exception:',
        '        pass',
        'def generic_repr(obj, output):',
        '    for arg in args:',
        '        try:',
        '            output.append(repr(getattr(obj, arg)))',
        '        except Exception:',
        '            pass',
        'def create_user(db, user):',
        '    try:',
        '        db.insert(user)',
        '    except Exception:',
        '        pass',
        // Werkzeug's debug repr, click's console and test runner.
        'def dump_object(self, obj, items):',
        '    for key in dir(obj):',
        '        try:',
        '            items.append((key, self.repr(getattr(obj, key))))',
        '        except Exception:',
        '            pass',
        'def write(self, x):',
        '    try:',
        '        self.flush()',
        '    except Exception:',
        '        pass',
        '    try:',
        '        del os.environ[key]',
        '    except Exception:',
        '        pass',
        // DRF's breadcrumbs: only a successful resolve is acted on, in the else.
        'def breadcrumbs(url, crumbs):',
        '    try:',
        '        view = resolve(url)',
        '    except Exception:',
        '        pass',
        '    else:',
        '        crumbs.append(view)',
        'def save_then_notify(order):',
        '    try:',
        '        order.save()',
        '    except Exception:',
        '        pass',
        '    else:',
        '        notify(order)',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [5, 'LOW'],
      [11, 'LOW'],
      [17, 'LOW'],
      [22, 'HIGH'],
      [28, 'LOW'],
      [33, 'LOW'],
      [37, 'LOW'],
      [42, 'LOW'],
      [49, 'HIGH'],
    ]);
    assert.match(findings[0]?.message ?? '', /drops or rolls back/);
  });

  it('downgrades an Optional result and a cached read with a fallback after it, not a swallowed write (Electrum)', () => {
    const findings = detect(bareExceptPass, {
      'electrum/simple_config.py': [
        'class SimpleConfig:',
        '    def get_netaddress(self, key: str) -> Optional[NetAddress]:',
        '        text = self.get(key)',
        '        if text:',
        '            try:',
        '                return NetAddress.from_string(text)',
        '            except:',
        '                pass',
        'def get_exchanges_and_currencies():',
        '    try:',
        "        with open(path, 'r', encoding='utf-8') as f:",
        '            return json.loads(f.read())',
        '    except:',
        '        pass',
        '    d = regenerate()',
        '    return d',
        'def save_recent_servers(path, s):',
        '    try:',
        "        with open(path, 'w') as f:",
        '            f.write(s)',
        '    except:',
        '        pass',
        'def parse_paytomany(self, lines):',
        '    try:',
        '        self._parse_as_multiline(lines, raise_errors=True)',
        '    except Exception as e:',
        '        pass',
        '    else:',
        '        return',
        '    self.set_text(lines[0])',
        '    return None',
        'def verify(raw_tx):',
        '    try:',
        '        Transaction(raw_tx).deserialize()',
        '    except:',
        '        pass',
        '    else:',
        '        raise InnerNodeOfSpvProofIsValidTx()',
        'def ignore_exceptions(func):',
        '    async def wrapper(*args, **kwargs):',
        '        try:',
        '            return await func(*args, **kwargs)',
        '        except Exception as e:',
        '            pass',
        '    return wrapper',
        'def get_port(self, key: str) -> int:',
        '    if key:',
        '        try:',
        '            return int(self.get(key))',
        '        except Exception:',
        '            pass',
        '    log(key)',
      ].join('\n'),
    });
    // A bare `except:` keeps MED as a lead; a write stays HIGH; an int result with code after is no fallback.
    assert.deepEqual(linesAndConfidence(findings), [
      [7, 'MED'],
      [13, 'MED'],
      [21, 'HIGH'],
      [26, 'LOW'],
      [35, 'MED'],
      [43, 'LOW'],
      [50, 'HIGH'],
    ]);
  });

  it('downgrades a try that fills a still-unset value, and documented None-on-failure helpers (Django)', () => {
    const findings = detect(bareExceptPass, {
      'apps/config.py': [
        'def create(entry):',
        '    app_config_class = None',
        '    if cond:',
        '        app_config_class = pick()',
        '    if app_config_class is None:',
        '        try:',
        '            app_config_class = import_string(entry)',
        '        except Exception:',
        '            pass',
        '    return app_config_class',
        'def parse_http_date_safe(date):',
        '    try:',
        '        return parse_http_date(date)',
        '    except Exception:',
        '        pass',
        'def parse_header(value):',
        '    """Return the parsed header, or None if it is malformed."""',
        '    try:',
        '        return parse(value)',
        '    except Exception:',
        '        pass',
        'def save(data):',
        '    try:',
        '        return db.write(data)',
        '    except Exception:',
        '        pass',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [8, 'LOW'],
      [14, 'LOW'],
      [20, 'LOW'],
      [25, 'HIGH'],
    ]);
  });

  it('downgrades metadata copied onto a wrapper, a probe that returns early, a loop over candidates (boltons) and a default set in an outer block (rich)', () => {
    const findings = detect(bareExceptPass, {
      'boltons/debugutils.py': [
        'def wrap_trace(func):',
        '    wrapped = make_wrapper(func)',
        '    try:',
        '        wrapped.__module__ = func.__module__',
        '    except Exception:',
        '        pass',
        '    try:',
        '        if func.__dict__:',
        '            wrapped.__dict__.update(func.__dict__)',
        '    except Exception:',
        '        pass',
        '    return wrapped',
        'def is_text_fileobj(fileobj):',
        "    if getattr(fileobj, 'getvalue', False):",
        '        try:',
        "            if isinstance(fileobj.getvalue(), type(u'')):",
        '                return True',
        '        except Exception:',
        '            pass',
        '    return False',
        'def store(record):',
        '    try:',
        '        record.owner = lookup(record)',
        '    except Exception:',
        '        pass',
        'def traverse(obj, fake_attributes):',
        '    rich_repr_result: Optional[RichReprResult] = None',
        '    if not fake_attributes:',
        '        try:',
        '            if hasattr(obj, "__rich_repr__"):',
        '                rich_repr_result = obj.__rich_repr__()',
        '        except Exception:',
        '            pass',
        '    return rich_repr_result',
        'def make_instance(trace_type):',
        '    for cls in trace_type.__mro__:',
        '        try:',
        '            return cls.__new__(trace_type)',
        '        except Exception:',
        '            pass',
        "    raise TypeError('unable to wrap')",
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [5, 'LOW'],
      [10, 'LOW'],
      [18, 'LOW'],
      [24, 'HIGH'],
      [32, 'LOW'],
      [39, 'LOW'],
    ]);
  });

  it('downgrades a default set by a chained assignment, a logout in Disconnect and a socket option (hvac, pyVmomi)', () => {
    const findings = detect(bareExceptPass, {
      'hvac/adapters.py': [
        'def request(self, response, raise_exception=True):',
        '    if not response.ok and raise_exception:',
        '        text = errors = None',
        '        if response.headers.get("Content-Type") == "application/json":',
        '            try:',
        '                errors = response.json().get("errors")',
        '            except Exception:',
        '                pass',
        '        if errors is None:',
        '            text = response.text',
        '        raise_for_error(response.status_code, text, errors=errors)',
      ].join('\n'),
      'pyVim/connect.py': [
        'def Disconnect(si):',
        '   try:',
        '      if si:',
        '         content = si.RetrieveContent()',
        '         content.sessionManager.Logout()',
        '   except Exception as e:',
        '      pass',
        'def ConnectDisableNagle(conn):',
        '   sock = getattr(conn, "sock")',
        '   if sock:',
        '      try:',
        '         sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)',
        '      except Exception:',
        '         pass',
        'def Reconnect(si):',
        '   try:',
        '      si.content.sessionManager.Login(USER, PASSWORD)',
        '   except Exception:',
        '      pass',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['hvac/adapters.py', 7, 'LOW'],
        ['pyVim/connect.py', 6, 'LOW'],
        ['pyVim/connect.py', 13, 'LOW'],
        ['pyVim/connect.py', 18, 'HIGH'],
      ],
    );
  });

  it('downgrades a probed optional capability and curses drawing (Glances)', () => {
    const findings = detect(bareExceptPass, {
      'glances/outputs/glances_curses.py': [
        'class GlancesCursesStandalone:',
        '    def set_cursor(self, value):',
        "        if hasattr(curses, 'curs_set'):",
        '            try:',
        '                curses.curs_set(value)',
        '            except Exception:',
        '                pass',
        '    def display_line(self, y, x, m, screen_x):',
        '        try:',
        "            self.term_window.addnstr(y, x, m['msg'], screen_x - x, self.colors_list[m['decoration']])",
        '        except Exception:',
        '            pass',
        '    def save(self, stats):',
        "        if hasattr(stats, 'export'):",
        '            try:',
        '                stats.export()',
        '                self.db.commit()',
        '            except Exception:',
        '                pass',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [6, 'LOW'],
      [11, 'LOW'],
      [18, 'HIGH'],
    ]);
    assert.match(findings[0]?.message ?? '', /optional capability/);
  });

  it('downgrades a try that only creates a directory, not one that also writes into it (ansible git module)', () => {
    const findings = detect(bareExceptPass, {
      'ansible/modules/git.py': [
        'def clone(dest):',
        '    try:',
        '        os.makedirs(os.path.dirname(dest))',
        '    except Exception:',
        '        pass',
        'def save(path, text):',
        '    try:',
        '        os.makedirs(path)',
        "        open(os.path.join(path, 'f'), 'w').write(text)",
        '    except Exception:',
        '        pass',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [4, 'LOW'],
      [10, 'HIGH'],
    ]);
    assert.match(findings[0]?.message ?? '', /creates a directory/);
  });

  it('downgrades a probe of several assignments with an else, force-closing pools and a pidfile unlink (mitmproxy, kombu, gunicorn)', () => {
    const findings = detect(bareExceptPass, {
      'mitmproxy/version.py': [
        'def get_dev_version():',
        '    try:',
        '        git_describe = subprocess.check_output(["git", "describe", "--long"])',
        '        last_tag, tag_dist_str, commit = git_describe.decode().strip().rsplit("-", 2)',
        '        tag_dist = int(tag_dist_str)',
        '    except Exception:',
        '        pass',
        '    else:',
        '        return f"{last_tag} dev {tag_dist}"',
        '    return VERSION',
        'def reset():',
        '    for pool in _all_pools():',
        '        try:',
        '            pool.force_close_all()',
        '        except Exception:',
        '            pass',
        'class Pidfile:',
        '    def unlink(self):',
        '        try:',
        '            os.unlink(self.fname)',
        '        except Exception:',
        '            pass',
        '    def save(self, stats):',
        '        try:',
        '            record = stats.export()',
        '            self.db.commit()',
        '        except Exception:',
        '            pass',
        '        else:',
        '            self.log(record)',
        // mitmproxy 8: first check that it runs from its own checkout, which raises when not.
        'def dev_suffix(here):',
        '    try:',
        '        subprocess.run(["git", "cat-file", "-e", FIRST_COMMIT], cwd=here, check=True)',
        '        tag_dist = int(describe(here))',
        '    except Exception:',
        '        pass',
        '    else:',
        '        return f" (+{tag_dist})"',
        'def push(self):',
        '    try:',
        '        subprocess.run(["git", "push"], cwd=self.dir)',
        '        pushed = True',
        '    except Exception:',
        '        pass',
        '    else:',
        '        self.log(pushed)',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [6, 'LOW'],
      [15, 'LOW'],
      [21, 'LOW'],
      [27, 'HIGH'],
      [35, 'LOW'],
      [43, 'HIGH'],
    ]);
  });

  it('downgrades converting a value in place when it converts (python-jose, calibre), not other single calls', () => {
    const findings = detect(bareExceptPass, {
      'jose/jws.py': [
        'def _get_keys(key):',
        '    try:',
        '        key = json.loads(key, parse_int=str, parse_float=str)',
        '    except Exception:',
        '        pass',
        '    return key',
        'def save(record):',
        '    try:',
        '        result = db.insert(record)',
        '    except Exception:',
        '        pass',
        'def refresh(self):',
        '    try:',
        '        self.token = fetch_token(self.url)',
        '    except Exception:',
        '        pass',
        // calibre's collators decode a byte string in place when they can.
        "def pynocase(one, encoding='utf-8'):",
        '    try:',
        "        one = one.decode(encoding, 'replace')",
        '    except Exception:',
        '        pass',
        '    return one.lower()',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [4, 'LOW'],
      [10, 'HIGH'],
      [15, 'HIGH'],
      [20, 'LOW'],
    ]);
    assert.match(findings[0]?.message ?? '', /converts a value in place/);
  });

  it('reads a check that returns on success and raises after the try as a LOW lead (Keystone credentials API)', () => {
    const findings = detect(bareExceptPass, {
      'keystone/api/credentials.py': [
        'def _check_project(cred_project_id, token_project_id):',
        '    if cred_project_id != token_project_id:',
        '        if CONF.allow_cross_project_access:',
        '            try:',
        "                ENFORCER.enforce_call(action='admin_required')",
        '                return',
        '            except Exception:',
        '                pass',
        '        raise exception.ForbiddenAction(action="get credential")',
        '',
        'def _save(ref):',
        '    try:',
        '        store.save(ref)',
        '        return',
        '    except Exception:',
        '        pass',
        '    log.info("saved")',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [7, 'LOW'],
      [15, 'HIGH'],
    ]);
    assert.match(findings[0]?.message ?? '', /raises an error otherwise/);
  });

  it('reads a try that only converts and stores an optional value as a lead (searx engines)', () => {
    const findings = detect(bareExceptPass, {
      'searx/engines/piratebay.py': [
        'def response(resp):',
        '    for result in resp.json():',
        '        params = {}',
        '        try:',
        '            date = datetime.fromtimestamp(float(result["added"]))',
        "            params['publishedDate'] = date",
        '        except:',
        '            pass',
        '        try:',
        "            results.append({'number_of_results': int(result['count'])})",
        '        except Exception:',
        '            pass',
        '        try:',
        '            count = int(result["count"])',
        '            db.save(count)',
        '        except Exception:',
        '            pass',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [7, 'MED'],
      [11, 'LOW'],
      [16, 'HIGH'],
    ]);
  });

  it('reads removing what may not exist as a lead (deluge label test, os.remove)', () => {
    const findings = detect(bareExceptPass, {
      'deluge/plugins/label/setup_labels.py': [
        'try:',
        "    sclient.label_remove('test')",
        'except Exception:',
        '    pass',
        'try:',
        '    os.remove(lock_path)',
        'except Exception:',
        '    pass',
        'try:',
        "    sclient.label_add('test')",
        'except Exception:',
        '    pass',
        // Octavia deleting a load balancer: find the stats socket, then remove it.
        'try:',
        '    stats_socket = util.parse_haproxy_file(lb_id)[0]',
        '    os.remove(stats_socket)',
        'except Exception:',
        '    pass',
        // A write after the removal is more than deleting.
        'try:',
        '    os.remove(old_path)',
        '    save_config(new_path)',
        'except Exception:',
        '    pass',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [3, 'LOW'],
      [7, 'LOW'],
      [11, 'HIGH'],
      [16, 'LOW'],
      [21, 'HIGH'],
    ]);
  });

  it('reads a try that only closes what is open, under an if, as a lead, not one that also writes (Swift memcached)', () => {
    const findings = detect(bareExceptPass, {
      'swift/common/memcached.py': [
        'def _exception_occurred(self, server, e, fp, sock):',
        '    try:',
        '        if fp:',
        '            fp.close()',
        '            del fp',
        '    except Exception:',
        '        pass',
        '    try:',
        '        if sock:',
        '            sock.sendall(b"quit")',
        '            sock.close()',
        '    except Exception:',
        '        pass',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [6, 'LOW'],
      [12, 'HIGH'],
    ]);
  });

  it('reads a clause for what an earlier `except Exception` leaves, exits and killed threads, as a lead (Heat)', () => {
    const findings = detect(bareExceptPass, {
      'heat/engine/service.py': [
        'def log_exceptions(gt):',
        '    try:',
        '        gt.wait()',
        '    except Exception:',
        "        LOG.exception('Unhandled error in asynchronous task')",
        '    except BaseException:',
        '        pass',
        // The clause before handles only one error, so this one swallows all the others.
        'def run_task(gt):',
        '    try:',
        '        gt.wait()',
        '    except ValueError:',
        "        LOG.exception('bad thread')",
        '    except BaseException:',
        '        pass',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [6, 'LOW'],
      [13, 'HIGH'],
    ]);
  });

  it('reads a nested early return with a fallback after, a parameter improved in place, and a shell command as leads (ansible)', () => {
    const findings = detect(bareExceptPass, {
      'ansible/modules/find.py': [
        'def contentfilter(fsname, pattern):',
        '    prog = re.compile(pattern)',
        '    try:',
        '        with open(fsname) as f:',
        '            for line in f:',
        '                if prog.match(line):',
        '                    return True',
        '    except Exception:',
        '        pass',
        '    return False',
      ].join('\n'),
      'ansible/plugins/filter/core.py': [
        'def randomize_list(mylist, seed=None):',
        '    try:',
        '        mylist = list(mylist)',
        '        shuffle(mylist)',
        '    except Exception:',
        '        pass',
        '    return mylist',
        'def store(record):',
        '    try:',
        '        record.owner = lookup(record)',
        '        save(record)',
        '    except Exception:',
        '        pass',
      ].join('\n'),
      'ansible/plugins/strategy/debug.py': [
        'import cmd',
        'class Debugger(cmd.Cmd):',
        '    def do_pprint(self, args):',
        '        try:',
        '            result = self.evaluate(args)',
        '            display.display(pprint.pformat(result))',
        '        except Exception:',
        '            pass',
        '    def refresh(self):',
        '        try:',
        '            self.state = load_state()',
        '        except Exception:',
        '            pass',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file.split('/').pop(), f.evidence[0]?.startLine, f.confidence]),
      [
        ['find.py', 8, 'LOW'],
        ['core.py', 5, 'LOW'],
        ['core.py', 12, 'HIGH'],
        ['debug.py', 7, 'LOW'],
        ['debug.py', 12, 'HIGH'],
      ],
    );
  });

  it('reads setting attributes that __init__ gave a default as a fallback, not ones it did not (Manila)', () => {
    const findings = detect(bareExceptPass, {
      'manila/share/drivers/netapp/utils.py': [
        'class OpenStackInfo(object):',
        '    def __init__(self):',
        "        self._version = 'unknown version'",
        '        self._release = None',
        '    def _update_version_from_version_string(self):',
        '        try:',
        '            self._version = version.version_info.version_string()',
        '        except Exception:',
        '            pass',
        '    def _update_info_from_version_info(self):',
        '        try:',
        '            ver = self._get_version_info_version()',
        '            if ver:',
        '                self._version = ver',
        '        except Exception:',
        '            pass',
        '    def _update_platform(self):',
        '        try:',
        '            self._platform = platform.platform()',
        '        except Exception:',
        '            pass',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [8, 'LOW'],
      [15, 'LOW'],
      [20, 'HIGH'],
    ]);
  });

  it("reads copying a function's metadata where the object allows it as best effort (Paste's deprecation wrappers)", () => {
    const findings = detect(bareExceptPass, {
      'paste/wsgilib.py': [
        'def _warn_deprecated(new_func, new_name):',
        '    def replacement(*args, **kw):',
        '        return new_func(*args, **kw)',
        '    try:',
        '        replacement.func_name = new_func.func_name',
        '        replacement.__doc__ = new_func.__doc__',
        '    except:',
        '        pass',
        '    try:',
        '        send_report(replacement)',
        '    except Exception:',
        '        pass',
        '    return replacement',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [7, 'MED'],
      [11, 'HIGH'],
    ]);
    assert.match(findings[0]?.message ?? '', /only copies a function's metadata/);
  });
});
