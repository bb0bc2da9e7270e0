import type { SgNode } from '@ast-grep/napi';
import { jsAndPython, jsCall, pythonCall } from '../call-rules.ts';
import { callArguments, calleeText, enclosingFunction } from '../correctness/enclosing-function.ts';
import { findingAt } from '../correctness/finding-at.ts';
import { shellQuote } from '../dx/shell-quote.ts';
import { programWithArguments } from '../merge-checks.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { codeText } from './sink-finding.ts';
import { builtString, enclosingClass, valueSource } from './value-source.ts';

const SAFE_LOADER = /Safe|BaseLoader|FullLoader/;
const NODE_SERIALIZE = /require\(\s*['"]node-serialize['"]\s*\)|from\s+['"]node-serialize['"]/;

/**
 * A safe PyYAML loader: `yaml.SafeLoader` (or base/full), a loader class of this file that
 * extends one (buildbot's `class RamlLoader(yaml.SafeLoader)`, which adds an `!include` tag), or
 * a name this file only ever sets to one (Heat's `_yaml_loader_base = yaml.CSafeLoader`, else
 * `yaml.SafeLoader`, which its `class yaml_loader(_yaml_loader_base)` extends).
 */
function isSafeLoader(loader: string, text: string, depth = 0): boolean {
  if (SAFE_LOADER.test(loader)) return true;
  const name = /^(?:[\w.]*\.)?([A-Za-z_]\w*)$/.exec(loader)?.[1];
  if (!name || depth > 3) return false;
  const bases = new RegExp(`^\\s*class\\s+${name}\\s*\\(([^)]*)\\)`, 'm').exec(text)?.[1];
  if (bases !== undefined) return bases.split(',').some((base) => isSafeLoader(base.trim(), text, depth + 1));
  const values = [
    ...text.matchAll(new RegExp(`^[ \\t]*${name}[ \\t]*=[ \\t]*([^\\n#]*?)[ \\t]*(?:#.*)?$`, 'gm')),
  ];
  return values.length > 0 && values.every((value) => isSafeLoader(value[1] ?? '', text, depth + 1));
}

/** The unpickling calls the Python rule matches (and the done check counts), by callee. */
const PICKLE_CALLEE = 'c?[pP]ickle\\.(?:loads?|Unpickler)|dill\\.loads?|jsonpickle\\.decode';

/**
 * The Python done check, one line. It takes (file, kind, cited line, count) quadruples, `kind`
 * being `yaml` or `pickle`, and exits 1 while an unsafe call of that kind still starts on a line
 * that reads as the cited one, or while the file holds more of them than `count` less the places
 * the check covers; 0 otherwise. Unsafe YAML is a PyYAML load without a safe-looking loader (a
 * loader change counts only when it names a safe one: `Loader=yaml.Loader` in place of none is no
 * fix, though the line changed); unsafe pickle is any unpickling call, so a call laid out anew or
 * moved within the file is no fix, and only replacing it (JSON) is. Python's own parser reads the
 * calls. Several places make one check (mergeDoneChecks).
 */
const CHECK_PROGRAM = [
  'import ast,re,sys,collections',
  'a=sys.argv[1:];Q=list(zip(a[::4],a[1::4],a[2::4],a[3::4]))',
  'G=lambda x:[w.value for w in x.keywords if w.arg=="Loader"]+x.args[1:2]',
  `B=lambda k,x,c,s:(re.fullmatch(r"${PICKLE_CALLEE}",c) is not None) if k=="pickle" else (re.fullmatch(r"yaml\\.(?:load|load_all|unsafe_load|unsafe_load_all)",c) is not None and ("unsafe" in c or not re.search(r"Safe|BaseLoader|FullLoader",ast.get_source_segment(s,G(x)[0]) if G(x) else "")))`,
  'U=lambda f,k:[L[x.lineno-1].strip() for s in [open(f,"rb").read().decode(errors="replace")] for L in [s.split("\\n")] for x in ast.walk(ast.parse(s)) if isinstance(x,ast.Call) and B(k,x,ast.unparse(x.func),s)]',
  'K=collections.Counter((f,k) for f,k,t,n in Q);N={(f,k):int(n) for f,k,t,n in Q}',
  'sys.exit(any(t in U(f,k) for f,k,t,n in Q) or any(len(U(f,k))>N[f,k]-K[f,k] for f,k in K))',
].join(';');
const CHECK_PREFIX = `python3 -c ${shellQuote(CHECK_PROGRAM)} `;

/** The done check of one Python finding: `count` is how many calls of its kind the check counts now. */
function pythonDoneCheck(file: FileInput, node: SgNode, kind: 'yaml' | 'pickle', count: number): string {
  const text = file.lines[node.range().start.line]?.trim() ?? '';
  return `${CHECK_PREFIX}${[file.path, kind, text, String(Math.max(1, count))].map(shellQuote).join(' ')}`;
}

/** The loader text of a PyYAML load call: its `Loader=` keyword or its second argument. */
function loaderTextOf(args: readonly SgNode[]): string {
  const [, second] = args;
  const loader = args.find((a) => a.kind() === 'keyword_argument' && a.field('name')?.text() === 'Loader');
  return (
    loader?.field('value')?.text() ?? (second && second.kind() !== 'keyword_argument' ? second.text() : '')
  );
}

/** The YAML loads of the file that the done check counts as unsafe (its rule, in `CHECK_PROGRAM`). */
function unsafeYamlLoads(node: SgNode): number {
  return node
    .getRoot()
    .root()
    .findAll(pythonCall('^yaml\\.(load|load_all|unsafe_load|unsafe_load_all)$'))
    .filter(
      (call) => calleeText(call).includes('unsafe') || !SAFE_LOADER.test(loaderTextOf(callArguments(call))),
    ).length;
}

/** `yaml = ruamel.yaml.YAML(typ="unsafe", pure=True)`: the receiver set to a ruamel.yaml instance. */
const RUAMEL_INSTANCE = /^[ \t]*yaml[ \t]*=[ \t]*(?:[\w.]*\.)?YAML\(([^)]*)\)/gm;
const ASSIGNED_YAML = /^[ \t]*yaml[ \t]*=(?!=)/gm;
/** ruamel.yaml's unsafe loader, `typ="unsafe"` (or `typ=["unsafe"]`); `rt`, its default, and `safe` build plain data. */
/** PyYAML imported as `yaml` (`import yaml`), which a function's `yaml = YAML()` only shadows there. */
const PYYAML_IMPORT = /^[ \t]*import[ \t]+yaml\b(?![.\w])(?![ \t]+as[ \t]+(?!yaml\b))/m;
const RUAMEL_UNSAFE = /\btyp\s*=\s*[[(]?\s*(['"])unsafe\1/;

/**
 * The line of each ruamel.yaml `YAML(…)` instance `yaml` is set to, and whether it loads unsafely,
 * when every assignment of `yaml` in the file is one (mitmproxy's `yaml =
 * ruamel.yaml.YAML(typ="unsafe", pure=True)` then `yaml.load(text)`); undefined otherwise (PyYAML).
 * Its `load` takes no loader: the instance's `typ` decides what it constructs.
 */
function ruamelInstances(file: FileInput, node: SgNode): { line: number; unsafe: boolean }[] | undefined {
  if (!/\bruamel\b/.test(file.text)) return undefined;
  // In a file that also imports PyYAML as `yaml`, a `yaml = YAML()` of one function is a local:
  // only one in the function of the call makes its `yaml` ruamel's.
  const fn = PYYAML_IMPORT.test(file.text) ? enclosingFunction(node) : undefined;
  if (PYYAML_IMPORT.test(file.text) && !fn) return undefined;
  const text = fn ? fn.text() : file.text;
  const offset = fn ? fn.range().start.line : 0;
  const instances = [...text.matchAll(RUAMEL_INSTANCE)];
  if (instances.length === 0 || instances.length !== [...text.matchAll(ASSIGNED_YAML)].length)
    return undefined;
  return instances.map((m) => ({
    line: offset + text.slice(0, m.index).split('\n').length,
    unsafe: RUAMEL_UNSAFE.test(m[1] ?? ''),
  }));
}

/** Exits 1 while a file holds a ruamel.yaml `YAML(typ=…unsafe…)`, by Python's own parser. */
const RUAMEL_CHECK = `python3 -c ${shellQuote(
  'import ast,sys;sys.exit(any(isinstance(x,ast.Call) and ast.unparse(x.func).split(".")[-1]=="YAML" and any(k.arg=="typ" and "unsafe" in ast.unparse(k.value) for k in x.keywords) for f in sys.argv[1:] for x in ast.walk(ast.parse(open(f,"rb").read()))))',
)}`;

function matchYaml(node: SgNode, file: FileInput, callee: string, args: SgNode[]): RawFinding | undefined {
  const [first, second] = args;
  if (!first || first.kind() === 'keyword_argument' || first.kind() === 'string') return undefined;
  const ruamel = ruamelInstances(file, node);
  if (ruamel) {
    const unsafe = ruamel.find((instance) => instance.unsafe);
    if (!unsafe) return undefined;
    return findingAt(file, node, {
      endLine: node.range().start.line + 1,
      related: [{ file: file.path, startLine: unsafe.line, endLine: unsafe.line }],
      doneCheck: `${RUAMEL_CHECK} ${shellQuote(file.path)}`,
      message: `\`${callee}()\` reads with the ruamel.yaml instance \`YAML(typ="unsafe")\` of line ${unsafe.line}, which constructs arbitrary Python objects from the document's tags, so a crafted YAML file runs code on load.`,
      fixSketch:
        'Create the ruamel.yaml instance with `typ="safe"` (or the default round-trip `YAML()`), which builds only plain data (dicts, lists, strings, numbers).',
    });
  }
  const loader = args.find((a) => a.kind() === 'keyword_argument' && a.field('name')?.text() === 'Loader');
  const loaderText = loaderTextOf(args);
  if (!callee.includes('unsafe') && isSafeLoader(loaderText, file.text)) return undefined;
  return findingAt(file, node, {
    endLine: node.range().start.line + 1,
    doneCheck: pythonDoneCheck(file, node, 'yaml', unsafeYamlLoads(node)),
    message: loaderText
      ? `\`${callee}()\` with \`${codeText(loader ?? second ?? node, 40)}\` constructs arbitrary Python objects from the document, so a crafted YAML file runs code on load.`
      : `\`${callee}()\` without \`Loader=yaml.SafeLoader\` either constructs arbitrary Python objects (PyYAML < 6, code execution from a crafted document) or raises TypeError (PyYAML ≥ 6).`,
  });
}

/** `if not allow_pickle: raise RuntimeError(…)` (pydantic's `load_str_bytes`): an explicit opt-in. */
const OPT_IN_GUARD = /\bif\s+not\s+\w*(?:allow|trust|unsafe)\w*\s*:\s*\n?\s*raise\b/;

/** Whether the function refuses to get this far unless its caller allowed unpickling. */
function optedIn(node: SgNode): boolean {
  const fn = enclosingFunction(node);
  if (!fn) return false;
  const before = fn.text().slice(0, node.range().start.index - fn.range().start.index);
  return OPT_IN_GUARD.test(before);
}

/** A signature check: `hmac.compare_digest(…)`, `hmac.new(…)` compared, Bottle's `_lscmp`, Django's `signing`. */
const SIGNATURE_CHECK =
  /\bhmac\.(?:compare_digest|new)\(|\bcompare_digest\(|\b_lscmp\(|\bsigning\.loads\(|\.unsign\(/;

/**
 * The method name when the call is a serializer class's own `loads`/`deserialize` of its parameter
 * (`class PickleSerializer: def loads(self, data): return pickle.loads(data)`); undefined otherwise.
 */
function serializerAdapter(node: SgNode, first: SgNode): string | undefined {
  const fn = enclosingFunction(node);
  const method = fn?.field('name')?.text() ?? '';
  if (!/^(?:loads|deseriali[sz]e|decode|unserialize|from_bytes)$/.test(method)) return undefined;
  if (!/Seriali[sz]er|Codec|Coder\b/.test(enclosingClass(node, true)?.field('name')?.text() ?? ''))
    return undefined;
  const params = fn?.field('parameters')?.text() ?? '';
  return new RegExp(`[(,\\s]${first.text()}\\b`).test(params) && /^\w+$/.test(first.text())
    ? method
    : undefined;
}

/** Whether the function checks a signature before the call. */
function signedBefore(node: SgNode): boolean {
  const fn = enclosingFunction(node);
  if (!fn) return false;
  return SIGNATURE_CHECK.test(fn.text().slice(0, node.range().start.index - fn.range().start.index));
}

/** A security linter's allow marker on the line: bandit's `# nosec`, ruff's `noqa: S301`/`S403`. */
const REVIEWED = /#.*(?:\bnosec\b|\bnoqa:?\s*S(?:301|403)\b)/i;

/** The unpickling calls of the file, as the done check counts them (every one, whatever it reads). */
function unpicklingCalls(node: SgNode): number {
  const callee = new RegExp(`^(?:${PICKLE_CALLEE})$`);
  return node
    .getRoot()
    .root()
    .findAll(pythonCall(`^(?:${PICKLE_CALLEE})$`))
    .filter((call) => callee.test(calleeText(call).replace(/\s+/g, ''))).length;
}

function matchPickle(node: SgNode, file: FileInput, callee: string, first: SgNode): RawFinding | undefined {
  if (first.kind() === 'string' && !builtString(first, true)) return undefined;
  // `pickle.loads(pickle.dumps(exc))`: a deep copy of an object this process made, not foreign bytes.
  if (/^c?[pP]ickle\.dumps\(|^dill\.dumps\(/.test(first.text())) return undefined;
  const source = valueSource(first, true);
  if (source === 'constant') return undefined;
  const fromFile = /\.load$|Unpickler$/.test(callee);
  const optIn = source !== 'request' && optedIn(node);
  // `pickle.loads(dump)  # nosec: only used for calibre's own serialized data`: reviewed and
  // allowed by a security linter's marker on the line.
  const reviewed = source !== 'request' && REVIEWED.test(file.lines[node.range().start.line] ?? '');
  // ansible's `daemonize`: the forked child pickles its result into a pipe the same function
  // opened, and the parent unpickles it. The bytes are this function's own.
  const pickles = /\b(?:c?[pP]ickle|dill)\.dumps?\(/;
  // Celery's worker state: the class pickles its revoked-task set into a `shelve` file it opens
  // itself (`_sync_with`) and unpickles it from there (`_merge`). Its own persistent state, on the
  // local disk: not bytes someone else sent.
  const ownStore =
    /\b(?:shelve|dbm)\b/.test(file.text) && pickles.test(enclosingClass(node, true)?.text() ?? '');
  const roundTrip = source !== 'request' && (pickles.test(enclosingFunction(node)?.text() ?? '') || ownStore);
  // Bottle's cookie_decode: an HMAC of the bytes is compared before they are unpickled. Only the
  // key's holders can write them, so the risk is the key: leaked, weak or shared, it runs code.
  const signed = source !== 'request' && !roundTrip && signedBefore(node);
  // django-q's and Pyramid's `class PickleSerializer: def loads(data): return pickle.loads(data)`:
  // an adapter that a signing or session layer is handed; the risk is decided where it is used.
  const adapter = source !== 'request' && !roundTrip && !signed && serializerAdapter(node, first);
  return findingAt(file, node, {
    endLine: node.range().start.line + 1,
    doneCheck: pythonDoneCheck(file, node, 'pickle', unpicklingCalls(node)),
    confidence:
      source === 'request' ? 'HIGH' : fromFile || optIn || reviewed || roundTrip || adapter ? 'LOW' : 'MED',
    message:
      source === 'request'
        ? `\`${callee}()\` unpickles request data (\`${codeText(first)}\`): a crafted payload runs arbitrary code in this process.`
        : `\`${callee}()\` unpickles \`${codeText(first)}\`. Unpickling runs code chosen by whoever wrote the bytes, so this is safe only if no one else can ever write them (no shared cache, upload, queue or network peer).${optIn ? ' The caller has to opt in first (the function refuses unless a flag allows it), so this is a documented, deliberate risk.' : reviewed ? ' A security linter was told to allow this line (`# nosec`/`noqa`), so someone reviewed it; keep that reason true.' : roundTrip ? (ownStore ? ' This class pickles what it unpickles, into a local store it opens (shelve, dbm), so the bytes are its own; keep that file where only this program can write it.' : ' This same function pickles what it unpickles (a child process it forked writing to a pipe it opened), so the bytes are its own; keep it that way.') : signed ? ' The function checks a signature (HMAC) of the bytes first, so only holders of the key can write them: whoever learns the key (a leaked, weak or shared secret) runs code here. A format without code (JSON) would take that risk away.' : adapter ? ` It is the \`${adapter}\` method of a serializer class, which other code hands to a signing or session layer: whether foreign bytes can reach it is decided there, so check every place that uses it, and prefer a JSON serializer.` : ''}`,
  });
}

function matchDeserialize(node: SgNode, file: FileInput): RawFinding | undefined {
  const callee = calleeText(node);
  const args = callArguments(node);
  if (file.language !== 'python') {
    if (!NODE_SERIALIZE.test(file.text) || !args[0] || args[0].kind() === 'string') return undefined;
    return findingAt(file, node, {
      endLine: node.range().start.line + 1,
      message:
        '`node-serialize` `unserialize()` evaluates functions embedded in the data (`_$$ND_FUNC$$_`), so a crafted payload runs arbitrary code (CVE-2017-5941).',
    });
  }
  if (callee.startsWith('yaml.')) return matchYaml(node, file, callee, args);
  const [first] = args;
  return first && first.kind() !== 'keyword_argument' ? matchPickle(node, file, callee, first) : undefined;
}

const JS_RULE = jsCall('(^|\\.)unserialize$');

/** Deserialisers that can construct arbitrary objects or run code from the data they read. */
export const unsafeDeserialization: FileDetector = {
  id: 'security/unsafe-deserialization',
  category: 'security',
  scope: 'file',
  requires: { ...jsGate(/unserialize/), python: /yaml|ickle|dill|jsonpickle/ },
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'Unsafe deserialisation (code execution from data)',
  description:
    'This deserialiser can instantiate arbitrary objects or run code embedded in the data it reads (pickle, yaml.load with an unsafe loader, node-serialize). Anyone who can supply or tamper with that data can execute code in this process.',
  impact: 'HIGH',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'Safe loaders read the same plain data (maps, lists, strings, numbers); only documents that relied on custom object tags stop loading.',
  confidence: 'HIGH',
  fixSketch:
    'Use a data-only format and loader: `yaml.safe_load` (or `Loader=yaml.SafeLoader`), `json` instead of pickle for anything that crosses a trust boundary, `JSON.parse` instead of node-serialize. If pickle must stay, sign the bytes (HMAC) and verify before loading.',
  steps: [
    'Open the cited line and find where the deserialised bytes come from (request, file, cache, queue).',
    'For YAML, replace the call with `yaml.safe_load(...)` (or pass `Loader=yaml.SafeLoader`). For node-serialize, replace `unserialize` with `JSON.parse` and rebuild any objects explicitly.',
    'For pickle, switch the writer and reader to JSON (or another data-only format) when the data crosses a trust boundary; otherwise document why only this process can write the bytes, and verify an HMAC before loading.',
    'Add a test that loads a payload with a custom tag or object (e.g. `!!python/object/apply:os.system ["id"]`) and asserts it is rejected.',
  ],
  python: {
    fixSketch:
      'Use a data-only format and loader: `yaml.safe_load` (or `Loader=yaml.SafeLoader`) for YAML, and `json` instead of pickle (or dill, jsonpickle) for anything that crosses a trust boundary, changing the code that writes the data and the code that reads it.',
    riskReason:
      'Safe loaders and JSON read the same plain data (dicts, lists, strings, numbers); only data that relied on custom YAML tags or on pickled objects stops loading, and such objects are rebuilt explicitly.',
    steps: [
      'Open each cited line and find where the loaded bytes come from (request, file, cache, queue) and, for pickle, where they are written (`pickle.dump`/`pickle.dumps` of the same data).',
      'For YAML, replace the call with `yaml.safe_load(...)` (`yaml.safe_load_all(...)` for `load_all`), or pass `Loader=yaml.SafeLoader`. When `yaml` is a ruamel.yaml instance (`yaml = ruamel.yaml.YAML(typ="unsafe")`), keep the call and create the instance with `typ="safe"` instead.',
      'For pickle (and dill or jsonpickle), read the data with `json.loads`/`json.load` and write it with `json.dumps`/`json.dump`, converting objects to plain dicts and lists and back explicitly. If the code that writes the data is outside the in-scope files, or the data cannot be expressed as JSON, STOP and report: keeping pickle behind a signature (HMAC) is the repository owner’s decision.',
      'Add a test that feeds the code a malicious payload and asserts it is rejected: for YAML, a document with `!!python/object/apply:os.system ["id"]`; for former pickle data, bytes that are not JSON (such as `pickle.dumps(object())`).',
    ],
  },
  rule: jsAndPython(
    JS_RULE,
    pythonCall(`^(yaml\\.(load|load_all|unsafe_load|unsafe_load_all)|${PICKLE_CALLEE})$`),
  ),
  match: matchDeserialize,
  mergeDoneChecks: programWithArguments(CHECK_PREFIX),
};
