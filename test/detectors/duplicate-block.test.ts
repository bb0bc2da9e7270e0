import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { duplicateBlock } from '../../src/detectors/tech-debt/duplicate-block.ts';
import { detect } from '../helpers/detector.ts';

const ORIGINAL = [
  "import { db } from './db.ts';",
  '',
  'export async function importUsers(rows: Row[]) {',
  '  const seen = new Set<string>();',
  '  const result: User[] = [];',
  '  for (const row of rows) {',
  '    const email = row.email.trim().toLowerCase();',
  '    if (seen.has(email)) continue;',
  '    seen.add(email);',
  "    const name = row.name ?? 'unknown';",
  '    const user = await db.insert({ email, name, createdAt: Date.now() });',
  '    result.push(user);',
  '    if (result.length > 500) break;',
  '  }',
  '  return result;',
  '}',
].join('\n');

const RENAMED = [
  "import { store } from '../store.ts';",
  "import { log } from '../log.ts';",
  '',
  'export async function importCustomers(records: Record[]) {',
  '  log("start");',
  '  const known = new Set<string>();',
  '  const out: Customer[] = [];',
  '  for (const record of records) {',
  '    const mail = record.mail.trim().toLowerCase();',
  '    if (known.has(mail)) continue;',
  '    known.add(mail);',
  "    const label = record.label ?? 'n/a';",
  '    const customer = await store.insert({ mail, label, createdAt: Date.now() });',
  '    out.push(customer);',
  '    if (out.length > 1000) break;',
  '  }',
  '  return out;',
  '}',
].join('\n');

describe('tech-debt/duplicate-block', () => {
  it('finds a renamed copy across files and cites both copies', () => {
    const findings = detect(duplicateBlock, {
      'src/users.ts': ORIGINAL,
      'src/billing/customers.ts': RENAMED,
    });
    assert.equal(findings.length, 1);
    const finding = findings[0];
    assert.deepEqual(
      finding?.evidence.map((e) => [e.file, e.startLine]),
      [
        ['src/billing/customers.ts', 6],
        ['src/users.ts', 4],
      ],
    );
    assert.equal(finding?.confidence, 'MED');
    assert.match(finding?.message ?? '', /renamed identifiers/);
    // The title counts lines of code; the message's ranges are the lines of the files.
    assert.match(finding?.title ?? '', /^Duplicated block \(\d+ lines of code\) in /);
    assert.equal(duplicateBlock.quick, false);
  });

  it('rates an exact copy HIGH and a renamed one MED', () => {
    const findings = detect(duplicateBlock, {
      'src/a.ts': ORIGINAL,
      'src/b.ts': ORIGINAL.replace('importUsers', 'importUsers2'),
    });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.confidence, 'MED');
    const exact = detect(duplicateBlock, { 'src/a.ts': ORIGINAL, 'src/b.ts': `// copy\n${ORIGINAL}` });
    assert.equal(exact[0]?.confidence, 'HIGH');
  });

  it('rates copies MED, not HIGH, when only a field set to a literal differs (react-admin edit/show controllers)', () => {
    const controller = (action: string) =>
      [
        `export const use${action}Controller = (props: Props) => {`,
        '  const { disableAuthentication, id: propsId, resource } = props;',
        '  const { isPending: isPendingAuthenticated } = useAuthenticated({',
        '    enabled: !disableAuthentication,',
        '  });',
        '  const { isPending: isPendingCanAccess } = useRequireAccess<RecordType>({',
        `    action: '${action.toLowerCase()}',`,
        '    resource,',
        '    enabled: !disableAuthentication && !isPendingAuthenticated,',
        '  });',
        '  const getRecordRepresentation = useGetRecordRepresentation(resource);',
        '  const translate = useTranslate();',
        '  const notify = useNotify();',
        '  const redirect = useRedirect();',
        '  const { id: routeId } = useParams<{ id?: string }>();',
        '  return { getRecordRepresentation, translate, notify, redirect, routeId, isPendingCanAccess };',
        '};',
      ].join('\n');
    const differing = detect(duplicateBlock, {
      'src/edit/useEditController.ts': controller('Edit'),
      'src/show/useShowController.ts': controller('Show').replace('useShowController', 'useEditController'),
    });
    assert.equal(differing.length, 1);
    assert.equal(differing[0]?.confidence, 'MED');
    assert.match(differing[0]?.message ?? '', /different literals/);
    // The same two files asking for the same action are one code: still HIGH.
    const same = detect(duplicateBlock, {
      'src/edit/useEditController.ts': controller('Edit'),
      'src/show/useShowController.ts': `// copy\n${controller('Edit')}`,
    });
    assert.equal(same[0]?.confidence, 'HIGH');
    assert.doesNotMatch(same[0]?.message ?? '', /different literals/);
  });

  it('rates a row of one-line delegating functions LOW: a facade, little to extract (Mistral db API)', () => {
    const names = ['task_execution', 'workflow_execution', 'action_execution', 'cron_trigger', 'environment'];
    const facade = names
      .flatMap((name) => [
        `def get_${name}(id, fields=(), session=None):`,
        `    return IMPL.get_${name}(id, fields=fields, session=session)`,
        '',
        `def delete_${name}(id, session=None):`,
        `    return IMPL.delete_${name}(id, session=session)`,
        '',
        `def update_${name}(id, values, session=None):`,
        `    return IMPL.update_${name}(id, values, session=session)`,
        '',
      ])
      .join('\n');
    const findings = detect(duplicateBlock, { 'mistral/db/v2/api.py': facade });
    assert.ok(findings.length > 0);
    assert.deepEqual(
      findings.map((f) => f.confidence),
      findings.map(() => 'LOW'),
    );
    assert.match(findings[0]?.message ?? '', /a facade or a row of accessors/);
  });

  it('reads RPC stubs whose signature and call wrap over lines as a facade, a computing copy as MED (Designate rpcapi)', () => {
    const stubs = (kind: string) => [
      `    def create_zone_${kind}(self, context, request_body):`,
      `        return self.client.call(context, 'create_zone_${kind}',`,
      '                                request_body=request_body)',
      '',
      `    def find_zone_${kind}s(self, context, criterion=None, marker=None,`,
      '                          limit=None, sort_key=None, sort_dir=None):',
      `        return self.client.call(context, 'find_zone_${kind}s',`,
      '                                criterion=criterion, marker=marker,',
      '                                limit=limit, sort_key=sort_key,',
      '                                sort_dir=sort_dir)',
      '',
      `    def get_zone_${kind}(self, context, zone_${kind}_id):`,
      `        return self.client.call(context, 'get_zone_${kind}',`,
      `                                zone_${kind}_id=zone_${kind}_id)`,
      '',
      `    def update_zone_${kind}(self, context, zone_${kind}):`,
      `        return self.client.call(context, 'update_zone_${kind}',`,
      `                                zone_${kind}=zone_${kind})`,
      '',
    ];
    const worker = (kind: string) => [
      `    def purge_${kind}s(self, context, criterion, limit):`,
      `        rows = self.find_${kind}s(context, criterion, limit=limit)`,
      '        if not rows:',
      `            LOG.info('No ${kind}s to purge')`,
      '            return 0',
      '        by_id = {row.id: row for row in rows}',
      '        for row in rows:',
      '            parent = self._walk_up(row, by_id)',
      '            self.reparent(row.id, parent)',
      '            self.purge_one(context, row)',
      `        LOG.info('Purged %d ${kind}s', len(rows))`,
      '        return len(rows)',
      '',
    ];
    const findings = detect(duplicateBlock, {
      'designate/central/rpcapi.py': ['class CentralAPI:', ...stubs('import'), ...stubs('export')].join('\n'),
      'designate/storage/purge.py': ['class Purger:', ...worker('zone'), ...worker('record')].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.confidence]),
      [
        ['designate/central/rpcapi.py', 'LOW'],
        ['designate/storage/purge.py', 'MED'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /a facade or a row of accessors/);
  });

  it("does not count a small function's docstring as work (werkzeug's cache-control accessors)", () => {
    const accessors = (name: string) => [
      `class ${name}(CallbackDict):`,
      '    def to_header(self):',
      '        """Convert the stored values into a cache control header.',
      '',
      '        The header lists every directive that is set.',
      '        """',
      '        return http.dump_header(self)',
      '',
      '    def __str__(self):',
      '        """The header value."""',
      '        return self.to_header()',
      '',
      '    def __repr__(self):',
      '        kv_str = " ".join(f"{k}={v!r}" for k, v in sorted(self.items()))',
      '        return f"<{type(self).__name__} {kv_str}>"',
      '',
      '    def __len__(self):',
      '        return len(self.items())',
      '',
    ];
    const findings = detect(duplicateBlock, {
      'werkzeug/datastructures.py': [
        ...accessors('RequestCacheControl'),
        ...accessors('ResponseCacheControl'),
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => f.confidence),
      ['LOW'],
    );
    assert.match(findings[0]?.message ?? '', /a facade or a row of accessors/);
  });

  it('counts the statements of a callback handed to a call: handlers doing their work in one stay MED', () => {
    const handlers = (table: string) =>
      ['list', 'get', 'remove'].flatMap((verb) => [
        `function ${verb}${table}(req, res) {`,
        `  db.query('SELECT * FROM ${table.toLowerCase()} WHERE owner = ?', [req.user.id], (err, rows) => {`,
        '    if (err) return res.status(500).json({ error: err.message });',
        '    const visible = rows.filter((row) => !row.deleted);',
        '    const page = visible.slice(req.query.offset || 0, 50);',
        `    audit.log(req.user.id, '${verb}', page.length);`,
        '    res.json({ items: page, total: visible.length });',
        '  });',
        '}',
        '',
      ]);
    const findings = detect(duplicateBlock, {
      'src/routes/projects.js': handlers('Projects').join('\n'),
      'src/routes/reports.js': handlers('Projects').join('\n').replaceAll('Projects', 'Reports'),
    });
    assert.deepEqual(
      findings.map((f) => f.confidence),
      ['MED'],
    );
  });

  it('rates classes that share a shape LOW, mostly headers, attributes and super() calls (DRF exceptions)', () => {
    const exceptionClass = (name: string, status: string, detail: string, arg: string) =>
      [
        `class ${name}(APIException):`,
        `    status_code = status.${status}`,
        `    default_detail = _('${detail}')`,
        `    default_code = '${name.toLowerCase()}'`,
        '',
        `    def __init__(self, ${arg}, detail=None, code=None):`,
        '        if detail is None:',
        `            detail = force_str(self.default_detail).format(${arg}=${arg})`,
        '        super().__init__(detail, code)',
        '',
        '',
      ].join('\n');
    const exceptions = [
      exceptionClass(
        'MethodNotAllowed',
        'HTTP_405_METHOD_NOT_ALLOWED',
        'Method "{method}" not allowed.',
        'method',
      ),
      'class NotAcceptable(APIException):\n    status_code = status.HTTP_406_NOT_ACCEPTABLE\n\n',
      exceptionClass(
        'UnsupportedMediaType',
        'HTTP_415_UNSUPPORTED',
        'Unsupported "{media_type}".',
        'media_type',
      ),
      exceptionClass('Throttled', 'HTTP_429_TOO_MANY_REQUESTS', 'Request was throttled.', 'wait'),
    ].join('');
    const findings = detect(duplicateBlock, { 'rest_framework/exceptions.py': exceptions });
    assert.ok(findings.length > 0);
    assert.deepEqual(
      findings.map((f) => f.confidence),
      findings.map(() => 'LOW'),
    );
    assert.match(findings[0]?.message ?? '', /Most of it declares/);
    // buildbot's model: table declarations whose columns span lines, one class attribute each.
    const table = (name: string, parent: string) =>
      [
        `    ${name} = sautils.Table(`,
        `        "${name}",`,
        '        metadata,',
        "        sa.Column('id', sa.Integer, primary_key=True),",
        `        sa.Column('${parent}id', sa.Integer, sa.ForeignKey('${parent}s.id', ondelete='CASCADE'), nullable=False),`,
        "        sa.Column('name', sa.String(length=256), nullable=False),",
        "        sa.Column('value', sa.Text, nullable=False),",
        "        sa.Column('updated', sa.Integer, nullable=False),",
        "        sa.Column('source', sa.String(length=256), nullable=False),",
        "        sa.Column('changed', sa.Integer, nullable=True),",
        "        sa.Column('owner', sa.String(length=64), nullable=True),",
        '    )',
        '',
      ].join('\n');
    const model = detect(duplicateBlock, {
      'buildbot/db/model.py': `class Model:\n${table('build_properties', 'build')}${table('step_properties', 'step')}`,
    });
    assert.ok(model.length > 0);
    assert.deepEqual(
      model.map((f) => f.confidence),
      model.map(() => 'LOW'),
    );
    // Pydantic models that declare different fields (FastAPI's OpenAPI Schema and PathItem): every
    // line declares and most lines differ, so they share a shape, not code.
    const pydanticModel = (name: string, fields: string[]) =>
      [
        `class ${name}(BaseModel):`,
        '    ref: Optional[str] = Field(default=None, alias="$ref")',
        ...fields.map((f) => `    ${f}: Optional[str] = None`),
        '',
        '    class Config:',
        '        extra = "allow"',
        '',
        '',
      ].join('\n');
    const openapi = detect(duplicateBlock, {
      'fastapi/openapi/models.py': [
        pydanticModel('Schema', ['title', 'multipleOf', 'maximum', 'minimum', 'pattern', 'format']),
        pydanticModel('PathItem', ['summary', 'description', 'get', 'put', 'post', 'delete']),
        pydanticModel('Header', ['name', 'style', 'explode', 'example', 'schema_', 'content']),
      ].join(''),
    });
    assert.deepEqual(openapi, []);
    // The same fields declared again remain a lead.
    const schemaFields = ['title', 'multipleOf', 'maximum', 'minimum', 'pattern', 'format'];
    const copied = detect(duplicateBlock, {
      'fastapi/openapi/models.py': ['Schema', 'SchemaIn', 'SchemaOut']
        .map((name) => pydanticModel(name, schemaFields))
        .join(''),
    });
    assert.deepEqual(
      copied.map((f) => f.confidence),
      ['LOW'],
    );
    // The same shape with logic in it is a copy worth extracting (DRF's IntegerField and FloatField).
    const field = (name: string) =>
      [
        `class ${name}(Field):`,
        "    default_error_messages = {'invalid': _('A valid number is required.')}",
        '',
        '    def __init__(self, **kwargs):',
        "        self.max_value = kwargs.pop('max_value', None)",
        "        self.min_value = kwargs.pop('min_value', None)",
        '        super().__init__(**kwargs)',
        '        if self.max_value is not None:',
        "            message = lazy_format(self.error_messages['max_value'], max_value=self.max_value)",
        '            self.validators.append(MaxValueValidator(self.max_value, message=message))',
        '        if self.min_value is not None:',
        "            message = lazy_format(self.error_messages['min_value'], min_value=self.min_value)",
        '            self.validators.append(MinValueValidator(self.min_value, message=message))',
        '',
        '',
      ].join('\n');
    const fields = detect(duplicateBlock, {
      'rest_framework/fields.py': `${field('IntegerField')}${field('FloatField')}`,
    });
    assert.equal(fields.length, 1);
    assert.equal(fields[0]?.confidence, 'MED');
    assert.doesNotMatch(fields[0]?.message ?? '', /Most of it declares/);
  });

  it('rates the same module in two API versions LOW, and other copies as before (Zaqar wsgi/v1_1, v2_0)', () => {
    const versions = detect(duplicateBlock, {
      'zaqar/transport/wsgi/v1_1/claims.ts': ORIGINAL,
      'zaqar/transport/wsgi/v2_0/claims.ts': ORIGINAL,
    });
    assert.deepEqual(
      versions.map((f) => [f.evidence.map((e) => e.file).join(' ~ '), f.confidence]),
      [['zaqar/transport/wsgi/v1_1/claims.ts ~ zaqar/transport/wsgi/v2_0/claims.ts', 'LOW']],
    );
    assert.match(versions[0]?.message ?? '', /two versions or variants \(v1_1 and v2_0\)/);
    const others = detect(duplicateBlock, {
      'zaqar/transport/wsgi/v1_1/claims.ts': ORIGINAL,
      'zaqar/transport/wsgi/v1_1/queues.ts': ORIGINAL,
    });
    assert.deepEqual(
      others.map((f) => f.confidence),
      ['HIGH'],
    );
    // openai-node: a beta/ copy beside the current module, and one adapter per runtime.
    for (const [a, b, named] of [
      ['src/beta/realtime/websocket.ts', 'src/realtime/websocket.ts', 'beta and current'],
      ['src/internal/ws-adapter-browser.ts', 'src/internal/ws-adapter-node.ts', 'browser and node'],
      // uvicorn: one protocol over two libraries.
      [
        'uvicorn/protocols/http/h11_impl.ts',
        'uvicorn/protocols/http/httptools_impl.ts',
        'h11 and httptools backends',
      ],
    ]) {
      const variants = detect(duplicateBlock, { [a as string]: ORIGINAL, [b as string]: ORIGINAL });
      assert.deepEqual(
        variants.map((f) => f.confidence),
        ['LOW'],
      );
      assert.match(variants[0]?.message ?? '', new RegExp(`\\(${named}\\)`));
    }
    // A copy in another folder is no variant.
    const moved = detect(duplicateBlock, {
      'src/beta/realtime/websocket.ts': ORIGINAL,
      'src/ws.ts': ORIGINAL,
    });
    assert.deepEqual(
      moved.map((f) => f.confidence),
      ['HIGH'],
    );
  });

  it('reports one block copied to three places once, citing every copy (Designate’s action services)', () => {
    const findings = detect(duplicateBlock, {
      'src/users.ts': ORIGINAL,
      'src/admins.ts': ORIGINAL,
      'src/billing/customers.ts': RENAMED,
    });
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0]?.evidence.map((e) => e.file).sort(), [
      'src/admins.ts',
      'src/billing/customers.ts',
      'src/users.ts',
    ]);
    assert.match(findings[0]?.title ?? '', /in 3 places$/);
    assert.match(findings[0]?.message ?? '', /missed in the others/);
    // One copy is renamed: the three are not all exact.
    assert.equal(findings[0]?.confidence, 'MED');
  });

  it('cites one period of a pattern repeated in a row in one file, so the two copies do not overlap (Node-RED routes)', () => {
    const handler = (name: string) => [
      `  ${name}: function (req, res) {`,
      '    const opts = { user: req.user, id: req.params.id, req: apiUtils.getRequestLogObject(req) };',
      `    runtimeAPI.projects.${name}(opts)`,
      '      .then(function (result) {',
      '        if (!result) return res.status(404).end();',
      '        res.json(result);',
      '      })',
      '      .catch(function (err) {',
      '        apiUtils.rejectHandler(req, res, err);',
      '      });',
      '  },',
    ];
    const text = [
      'module.exports = {',
      ...['getProject', 'deleteProject', 'updateProject'].flatMap(handler),
      '};',
    ].join('\n');
    const findings = detect(duplicateBlock, { 'lib/editor/projects.js': text });
    assert.equal(findings.length, 1);
    const [first, second] = findings[0]?.evidence ?? [];
    assert.ok(first && second);
    assert.ok(
      first.endLine < second.startLine,
      `${first.startLine}–${first.endLine} and ${second.startLine}`,
    );
    assert.match(findings[0]?.title ?? '', /twice in lib\/editor\/projects\.js/);
  });

  it('ignores short similar code, repetitive tables, test files, migrations and import lists', () => {
    const table = Array.from({ length: 20 }, (_, i) => `  key${i}: 'value ${i}',`).join('\n');
    const imports = Array.from({ length: 12 }, (_, i) => `import { thing${i} } from './thing-${i}.ts';`).join(
      '\n',
    );
    const findings = detect(duplicateBlock, {
      'src/a.ts': `export const a = {\n${table}\n};\n${imports}\nexport function f(x: number) {\n  return x + 1;\n}\n`,
      'src/b.ts': `export const b = {\n${table}\n};\n${imports}\nexport function g(y: number) {\n  return y + 1;\n}\n`,
      'test/a.test.ts': ORIGINAL,
      'test/b.test.ts': RENAMED,
      // Mailman's Alembic migrations: written once, never edited again.
      'mailman/database/alembic/versions/16c2b25c7b_policy.py': ORIGINAL,
      'mailman/database/alembic/versions/448a93984c35_workflow.py': RENAMED,
      'src/migrations/20240101-users.ts': ORIGINAL,
      'glance/db/sqlalchemy/alembic_migrations/versions/ocata_expand01.py': RENAMED,
    });
    assert.deepEqual(findings, []);
  });
  it('ignores tables of constants laid out alike, whatever their values (passlib DES permutations)', () => {
    const rows = (seed: number) =>
      Array.from({ length: 4 }, (_, t) =>
        [
          `    ( 0x${(seed + t).toString(16).padStart(16, '0')}, 0x0000000000200000, 0x0001000000000000, 0x0001000200000000,`,
          `      0x${(seed * 3 + t).toString(16).padStart(16, '0')}, 0x0020000200000000, 0x0021000000000000, 0x0021000200000000,`,
          `      0x0420000000000000, 0x${(seed * 7 + t).toString(16).padStart(16, '0')}, 0x0421000000000000, 0x0421000200000000, ),`,
          `      "row", ${seed + t}, -${t + 1}.5, [${seed}, ${t}], ("x", "y"), {"k": ${t}},`,
        ].join('\n'),
      ).join('\n');
    const findings = detect(duplicateBlock, {
      'passlib/crypto/des.py': `PCXROT = (\n${rows(1)}\n)\n\nPC1ROT = (\n${rows(9)}\n)\n`,
      'passlib/crypto/tables.py': `TABLE = (\n${rows(5)}\n)\n`,
    });
    assert.deepEqual(findings, []);
    // The same layout with names in it is code, and still a copy.
    const named = (seed: number) =>
      rows(seed)
        .replaceAll('0x0001000000000000', 'low')
        .replaceAll('0x0021000000000000', 'mid')
        .replaceAll('0x0421000000000000', 'high')
        .replaceAll('"row"', 'mask');
    const copies = detect(duplicateBlock, {
      'src/des.py': `def a():\n    return (\n${named(1)}\n)\n`,
      'src/tables.py': `def b():\n    return (\n${named(5)}\n)\n`,
    });
    assert.equal(copies.length, 1);
  });

  it('ignores records that share a shape (detector metadata), but not the logic beside them', () => {
    const record = (id: string, extra: string[]) =>
      [
        "import type { Detector } from './types.ts';",
        `export const ${id.replace(/\W/g, '')}: Detector = {`,
        `  id: '${id}',`,
        "  category: 'security',",
        "  scope: 'file',",
        `  title: 'Title of ${id}',`,
        `  description: 'What ${id} finds, in a sentence or two.',`,
        `  impact: '${id.length % 2 ? 'HIGH' : 'MED'}',`,
        "  effort: 'S',",
        "  risk: 'LOW',",
        '  riskReason:',
        `    'Why fixing ${id} is safe.',`,
        "  confidence: 'MED',",
        '  fixSketch:',
        `    'How to fix ${id}.',`,
        '  enabled: true,',
        '  weight: 3,',
        '  steps: [',
        `    'Open the cited line of ${id}.',`,
        "    'Add a test.',",
        '  ],',
        '  rule: { typescript: JS_RULE, tsx: JS_RULE, javascript: JS_RULE, python: PY_RULE },',
        '  match: (node, file) => (isPython(file.language) ? matchPython(node, file) : matchJs(node, file)),',
        ...extra,
        '};',
      ].join('\n');
    const findings = detect(duplicateBlock, {
      'src/security/xxe.ts': record('security/xxe', []),
      'src/security/redos.ts': record('security/redos', []),
    });
    assert.deepEqual(findings, []);
    // The same records with a copied function in them are still a copy.
    const body = ORIGINAL.split('\n')
      .slice(2)
      .map((line) => `  ${line.replace('export async function importUsers', 'async run')}`);
    const copies = detect(duplicateBlock, {
      'src/security/xxe.ts': record('security/xxe', body),
      'src/security/redos.ts': record('security/redos', body),
    });
    assert.equal(copies.length, 1);
  });

  it('ignores the helpers a compiler writes atop each output file, but not code copied below them (sequelize lib/)', () => {
    // esbuild's prologue, as in sequelize's lib/dialects/*/query-interface.js, and tsc's __awaiter.
    const esbuild = [
      '"use strict";',
      'var __defProp = Object.defineProperty;',
      'var __defProps = Object.defineProperties;',
      'var __getOwnPropDescs = Object.getOwnPropertyDescriptors;',
      'var __getOwnPropSymbols = Object.getOwnPropertySymbols;',
      'var __hasOwnProp = Object.prototype.hasOwnProperty;',
      'var __propIsEnum = Object.prototype.propertyIsEnumerable;',
      'var __defNormalProp = (obj, key, value) => key in obj ? __defProp(obj, key, { enumerable: true, configurable: true, writable: true, value }) : obj[key] = value;',
      'var __spreadValues = (a, b) => {',
      '  for (var prop in b || (b = {}))',
      '    if (__hasOwnProp.call(b, prop))',
      '      __defNormalProp(a, prop, b[prop]);',
      '  if (__getOwnPropSymbols)',
      '    for (var prop of __getOwnPropSymbols(b)) {',
      '      if (__propIsEnum.call(b, prop))',
      '        __defNormalProp(a, prop, b[prop]);',
      '    }',
      '  return a;',
      '};',
      'var __spreadProps = (a, b) => __defProps(a, __getOwnPropDescs(b));',
    ].join('\n');
    const tsc = [
      '"use strict";',
      'var __awaiter = (this && this.__awaiter) || function (thisArg, _arguments, P, generator) {',
      '    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }',
      '    return new (P || (P = Promise))(function (resolve, reject) {',
      '        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }',
      '        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }',
      '        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }',
      '        step((generator = generator.apply(thisArg, _arguments || [])).next());',
      '    });',
      '};',
    ].join('\n');
    const own = (name: string) =>
      `const ${name} = require("./${name}");\nmodule.exports = function ${name}Run(x) {\n  return __spreadValues({ x }, ${name}(x));\n};\n`;
    assert.deepEqual(
      detect(duplicateBlock, {
        'lib/mysql.js': `${esbuild}\n${own('mysql')}`,
        'lib/snowflake.js': `${esbuild}\n${own('snowflake')}`,
        'lib/a.js': `${tsc}\n${own('a')}`,
        'lib/b.js': `${tsc}\n${own('b')}`,
      }),
      [],
    );
    // The same helpers followed by a copied function: the copy is still found, below the prologue.
    const copied = detect(duplicateBlock, {
      'lib/mysql.js': `${esbuild}\n${ORIGINAL.replace(/^import.*$/m, '')}`,
      'lib/snowflake.js': `${esbuild}\n${RENAMED.replace(/^import.*$/gm, '')}`,
    });
    assert.equal(copied.length, 1);
    assert.ok((copied[0]?.evidence[0]?.startLine ?? 0) > 20, 'cited below the helpers');
  });

  it('ignores esbuild helpers under a licence header, and its export table and imports (nocobase lib/)', () => {
    // nocobase's lib/*.js: a licence header, the helpers, then the CommonJS wrapper esbuild writes
    // from each module's exports and imports.
    const header = [
      '/**',
      ' * This file is part of the NocoBase (R) project.',
      ' * Copyright (c) 2020-2024 NocoBase Co., Ltd.',
      ' * This project is dual-licensed under AGPL-3.0 and NocoBase Commercial License.',
      ' */',
      '',
    ].join('\n');
    const helpers = [
      'var __create = Object.create;',
      'var __defProp = Object.defineProperty;',
      'var __getOwnPropDesc = Object.getOwnPropertyDescriptor;',
      'var __getOwnPropNames = Object.getOwnPropertyNames;',
      'var __getProtoOf = Object.getPrototypeOf;',
      'var __hasOwnProp = Object.prototype.hasOwnProperty;',
      'var __name = (target, value) => __defProp(target, "name", { value, configurable: true });',
      'var __export = (target, all) => {',
      '  for (var name in all)',
      '    __defProp(target, name, { get: all[name], enumerable: true });',
      '};',
      'var __copyProps = (to, from, except, desc) => {',
      '  if (from && typeof from === "object" || typeof from === "function") {',
      '    for (let key of __getOwnPropNames(from))',
      '      if (!__hasOwnProp.call(to, key) && key !== except)',
      '        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });',
      '  }',
      '  return to;',
      '};',
      'var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(',
      '  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,',
      '  mod',
      '));',
      'var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);',
    ].join('\n');
    const wrapper = (name: string, exported: string[]) =>
      [
        `var ${name}_exports = {};`,
        `__export(${name}_exports, {`,
        ...exported.map((e, i) => `  ${e}: () => ${e}${i < exported.length - 1 ? ',' : ''}`),
        '});',
        `module.exports = __toCommonJS(${name}_exports);`,
        'var import_fs = __toESM(require("fs"));',
        'var import_path = __toESM(require("path"));',
        'var import_utils = require("@nocobase/utils");',
        'var import_crypto = require("crypto");',
      ].join('\n');
    const names = (prefix: string) => Array.from({ length: 10 }, (_, i) => `${prefix}Helper${i}`);
    const own = (name: string) =>
      `function ${name}(x) {\n  return import_path.default.join(x, "${name}");\n}\n`;
    assert.deepEqual(
      detect(duplicateBlock, {
        'lib/helper.js': `${header}${helpers}\n${wrapper('helper', names('app'))}\n${own('helper')}`,
        'lib/plugin-manager/utils.js': `${header}${helpers}\n${wrapper('utils', names('plugin'))}\n${own('utils')}`,
        'lib/aes-encryptor.js': `${header}${helpers}\n${wrapper('aes_encryptor', ['AesEncryptor', 'default'])}\n${own('aes')}`,
      }),
      [],
    );
    // Code copied below the wrapper is still found.
    const copied = detect(duplicateBlock, {
      'lib/a.js': `${header}${helpers}\n${wrapper('a', names('a'))}\n${ORIGINAL.replace(/^import.*$/m, '')}`,
      'lib/b.js': `${header}${helpers}\n${wrapper('b', names('b'))}\n${RENAMED.replace(/^import.*$/gm, '')}`,
    });
    assert.equal(copied.length, 1);
    assert.ok((copied[0]?.evidence[0]?.startLine ?? 0) > 45, 'cited below the wrapper');
  });

  it('compares the text of template literals as written, not as tokens (Budibase themes.ts)', () => {
    // Budibase's getThemeVariables: each theme returns its own CSS in a template literal.
    const theme = (name: string, gray: string, shades: number[]) =>
      [
        `  if (theme === Theme.${name}) {`,
        '    return `',
        `    --spectrum-global-color-${gray}: rgb(${shades[0]}, ${shades[0]}, ${shades[0]});`,
        `    --spectrum-global-color-gray-200: rgb(${shades[1]}, ${shades[1]}, ${shades[1]});`,
        `    --spectrum-global-color-gray-300: rgb(${shades[2]}, ${shades[2]}, ${shades[2]});`,
        `    --spectrum-global-color-gray-400: rgb(${shades[3]}, ${shades[3]}, ${shades[3]});`,
        `    --spectrum-alias-background-color-primary: var(--spectrum-global-color-${gray});`,
        `    --spectrum-alias-border-color: var(--spectrum-global-color-gray-${shades[3]});`,
        '    `',
        '  }',
      ].join('\n');
    const themes = [
      'export const getThemeVariables = (theme: Theme | undefined) => {',
      '  theme = ensureValidTheme(theme, Theme.LIGHT)',
      theme('LIGHTEST', 'gray-50', [255, 244, 234, 214]),
      theme('LIGHT', 'gray-50', [255, 234, 225, 202]),
      theme('DARK', 'gray-100', [50, 62, 74, 90]),
      theme('DARKEST', 'gray-100', [30, 44, 57, 70]),
      '}',
    ].join('\n');
    assert.deepEqual(detect(duplicateBlock, { 'src/constants/themes.ts': themes }), []);
    // The same text pasted twice is still a copy.
    const twice = [
      'export const light = () => {',
      theme('LIGHTEST', 'gray-50', [255, 244, 234, 214]),
      '}',
      'export const lightAgain = () => {',
      theme('LIGHTEST', 'gray-50', [255, 244, 234, 214]),
      '}',
    ].join('\n');
    assert.equal(detect(duplicateBlock, { 'src/constants/themes.ts': twice }).length, 1);
    // A backtick in a regular expression opens no template: the renamed copy below is still code.
    const escaping = "export const unquote = (s: string) => s.replace(/`/g, '');\n";
    assert.equal(
      detect(duplicateBlock, { 'src/users.ts': `${escaping}${ORIGINAL}`, 'src/customers.ts': RENAMED })
        .length,
      1,
    );
  });

  it('ignores prose inside block comments whose lines do not start with * (mysql2 auth_41.js)', () => {
    const prose = [
      "'use strict';",
      '',
      '/*',
      '4.1 authentication: (http://bazaar.launchpad.net/~mysql/mysql-server/5.5/view/head:/sql/password.c)',
      '',
      '  SERVER:  public_seed=create_random_string()',
      '           send(public_seed)',
      '',
      '  CLIENT:  recv(public_seed)',
      '           hash_stage1=sha1("password")',
      '           hash_stage2=sha1(hash_stage1)',
      '           reply=xor(hash_stage1, sha1(public_seed,hash_stage2)',
      '',
      '           // this three steps are done in scramble()',
      '',
      '           send(reply)',
      '',
      '  SERVER:  recv(reply)',
      '           hash_stage1=xor(reply, sha1(public_seed,hash_stage2))',
      '           candidate_hash2=sha1(hash_stage1)',
      '           check(candidate_hash2==hash_stage2)',
      '*/',
    ].join('\n');
    assert.deepEqual(
      detect(duplicateBlock, {
        'lib/auth_41.js': `${prose}\nexports.token = (a) => a.length;\n`,
        'lib/commands/server_handshake.js': `${prose}\nclass ServerHandshake {}\nmodule.exports = ServerHandshake;\n`,
      }),
      [],
    );
  });

  it('ignores overload signatures and type argument lists repeated across parallel APIs (effect Ref/TRef)', () => {
    const api = (type: string, effect: string) =>
      ['modify', 'modifySome', 'update', 'updateAndGet', 'updateSome']
        .map((name) =>
          [
            `export const ${name}: {`,
            `  <A, B>(f: (a: A) => readonly [B, A]): (self: ${type}<A>) => ${effect}<B>`,
            `  <A, B>(self: ${type}<A>, f: (a: A) => readonly [B, A]): ${effect}<B>`,
            `} = internal.${name}`,
          ].join('\n'),
        )
        .join('\n\n');
    const multiLine = (type: string) =>
      ['untilInput', 'whileInput', 'untilOutput', 'whileOutput']
        .map((name) =>
          [
            `export const ${name}: {`,
            '  /**',
            '   * @since 2.0.0',
            '   */',
            '  <In, R2>(',
            '    f: (input: In) => Effect.Effect<boolean, never, R2>',
            `  ): <Out, R>(self: ${type}<Out, In, R>) => ${type}<Out, In, R2 | R>`,
            '  <Out, In, R, R2>(',
            `    self: ${type}<Out, In, R>,`,
            '    f: (input: In) => Effect.Effect<boolean, never, R2>',
            `  ): ${type}<Out, In, R | R2>`,
            `} = internal.${name}`,
          ].join('\n'),
        )
        .join('\n\n');
    const duals = (type: string) =>
      ['update', 'updateAndGet', 'getAndUpdate', 'modifySome']
        .map((name) =>
          [
            `export const ${name} = dual<`,
            `  <A>(f: (a: A) => A) => (self: ${type}.${type}<A>) => STM.STM<void>,`,
            `  <A>(self: ${type}.${type}<A>, f: (a: A) => A) => STM.STM<void>`,
            `>(2, (self, f) => self.${name}((a) => [void 0, f(a)]))`,
          ].join('\n'),
        )
        .join('\n\n');
    const aliases = (kind: string) =>
      ['Sync', 'Option', 'Either', 'Promise']
        .map((variant) =>
          [
            `export const ${kind}${variant}: <A, I>(`,
            '  schema: Schema.Schema<A, I, never>,',
            '  options?: AST.ParseOptions',
            `) => (i: I, overrideOptions?: AST.ParseOptions) => ${variant}.${variant}<A> = ${kind}Unknown${variant}`,
          ].join('\n'),
        )
        .join('\n\n');
    const findings = detect(duplicateBlock, {
      'src/ParseResult.ts': `${aliases('decode')}\n\n${aliases('encode')}`,
      'src/internal/tRef.ts': duals('TRef'),
      'src/internal/tSubscriptionRef.ts': duals('TSubscriptionRef'),
      'src/Ref.ts': api('Ref', 'Effect.Effect'),
      'src/TRef.ts': api('TRef', 'STM.STM'),
      'src/Schedule.ts': multiLine('Schedule'),
      'src/Channel.ts': multiLine('Channel'),
    });
    assert.deepEqual(findings, []);
  });

  it('ignores Python docstrings and @overload stubs written alike, but not code copied under them (Werkzeug, click)', () => {
    const doc = [
      '    """Parse the form data in the environ and return it as tuple in the form',
      '    ``(stream, form, files)``.  You should only call this method if the',
      '    transport method is `POST`, `PUT`, or `PATCH`.',
      '',
      '    :param stream_factory: An optional callable that returns a new read and',
      '                           writeable file descriptor.  This callable works',
      '                           the same as :meth:`Response._get_file_stream`.',
      '    :param max_form_memory_size: the maximum number of bytes to be accepted for',
      '                           in-memory stored form data.  If the data exceeds the',
      '                           value specified an exception is raised.',
      '    """',
    ];
    const overloads = (name: string) => [
      '    @t.overload',
      `    def ${name}(`,
      '        self, ctx: Context, call: "te.Literal[True]" = True',
      '    ) -> t.Optional[t.Any]:',
      '        ...',
      '',
      '    @t.overload',
      `    def ${name}(`,
      '        self, ctx: Context, call: bool = ...',
      '    ) -> t.Optional[t.Union[t.Any, t.Callable[[], t.Any]]]:',
      '        ...',
    ];
    const logic = [
      '    total = 0',
      '    for item in items:',
      '        if item.price is None:',
      '            continue',
      '        total += item.price * item.quantity',
      '        if total > limit:',
      '            raise ValueError("over the limit: %s" % total)',
      '    discount = total * rate if total > threshold(items, limit) else 0',
      '    shipping = compute_shipping(items, destination=region(items[0].address))',
      '    log.info("cart total %s discount %s shipping %s", total, discount, shipping)',
      '    return round(total - discount + shipping, 2)',
    ];
    const findings = detect(duplicateBlock, {
      'formparser.py': [
        'def parse_form_data(environ):',
        ...doc,
        '    return environ',
        '',
        'def parse(self, stream):',
        ...doc,
        '    return stream',
      ].join('\n'),
      'core.py': [
        'class Parameter:',
        ...overloads('get_default'),
        '',
        'class Option:',
        ...overloads('get_value'),
      ].join('\n'),
      'applications.py': ['get', 'put']
        .map((verb) =>
          [
            `    def ${verb}(  # noqa: N802`,
            '        self,',
            '        path: str,',
            '        *,',
            '        response_model: Any = Default(None),',
            '        status_code: Optional[int] = None,',
            '        tags: Optional[List[Union[str, Enum]]] = None,',
            '        dependencies: Optional[Sequence[Depends]] = None,',
            '        summary: Optional[str] = None,',
            '        description: Optional[str] = None,',
            '        response_description: str = "Successful Response",',
            '        deprecated: Optional[bool] = None,',
            '    ) -> Callable[[DecoratedCallable], DecoratedCallable]:',
            `        return self.router.${verb}(path, response_model=response_model)`,
          ].join('\n'),
        )
        .join('\n\n'),
      'cart.py': [
        'def total_a(items, limit, rate):',
        '    """Total of a cart."""',
        ...logic,
        '',
        'def total_b(items, limit, rate):',
        ...logic,
      ].join('\n'),
      // JupyterHub's spawner: two options whose help texts share a paragraph.
      'spawner.py': ['options_from_form', 'options_from_query']
        .map((name) =>
          [`    ${name} = Callable(`, '        help="""', ...doc.slice(1, -1), '        """,', '    )'].join(
            '\n',
          ),
        )
        .join('\n\n'),
    });
    assert.deepEqual(
      findings.map((f) => f.evidence.map((e) => `${e.file}:${e.startLine}`)),
      [['cart.py:4', 'cart.py:17']],
    );
  });
});
