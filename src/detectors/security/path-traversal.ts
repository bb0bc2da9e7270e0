import type { NapiConfig, SgNode } from '@ast-grep/napi';
import {
  callArguments,
  calleeText,
  enclosingFunction,
  FUNCTION_KINDS,
} from '../correctness/enclosing-function.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { moduleBindings } from './module-bindings.ts';
import { requestFlow, surroundingText } from './request-flow.ts';
import { codeText, sinkFinding } from './sink-finding.ts';
import { assignedValues, isPython, JS_REQUEST_GATE, REQUEST_GATE } from './value-source.ts';

const FS_METHODS =
  'readFile|readFileSync|createReadStream|createWriteStream|writeFile|writeFileSync|appendFile|appendFileSync|unlink|unlinkSync|rm|rmSync|rmdir|rmdirSync|readdir|readdirSync|open|openSync|copyFile|copyFileSync|rename|renameSync|outputFile|outputFileSync|remove|removeSync|readJson|readJsonSync';
const FS_OBJECT = /^(?:fs|fsp|fsPromises|fse|fsExtra|promises|fs\.promises|fs\.default)$/;
const RESPONSE_FILE = /^(?:res|response)\.(?:sendFile|download|render)$/;
const PATH_BUILDER = /^(?:path(?:\.posix|\.win32)?\.)?(?:join|resolve)$/;
const WRITES = /write|append|unlink|rm|remove|rename|copy|output|WriteStream/i;

/** Checks that keep a path inside a folder (or strip it to a file name): their presence means someone thought about it. */
const JS_CONTAINMENT =
  /\.startsWith\(|\brelative\(|\bbasename\(|(?:includes|indexOf|test)\(\s*['"]?(?:\.\.|\/['"]|\\\\)|===?\s*['"]\.\.['"]|isPathInside|isSubPath|isInside|sanitize-?(?:filename|path)|sanitizeF(?:ile)?(?:name|Path)|realpath/i;
const PY_CONTAINMENT =
  /\.startswith\(|commonpath|commonprefix|is_relative_to|relative_to\(|secure_filename|safe_join|basename\(|['"]\.\.['"]\s+(?:not\s+)?in\b|realpath/;

/** Local names of functions imported from `fs`, `fs/promises` or `fs-extra`. */
function importedFsFunctions(text: string): Set<string> {
  return new Set(moduleBindings(text, `['"](?:node:)?(?:fs|fs/promises|fs-extra)['"]`).functions.keys());
}

function isJsFileSink(callee: string, file: FileInput): boolean {
  if (RESPONSE_FILE.test(callee)) return true;
  const member = /^(.*)\.(\w+)$/.exec(callee);
  const methods = new RegExp(`^(?:${FS_METHODS})$`);
  if (member?.[1] && member[2]) return FS_OBJECT.test(member[1]) && methods.test(member[2]);
  return methods.test(callee) && importedFsFunctions(file.text).has(callee);
}

/**
 * Express's `sendFile`/`download` refuse `..` once a `root` option is given, written in the call or
 * in a local the call names (`var options = { root: …, dotfiles: 'deny' }`, Node-RED's debug view).
 */
function hasRootOption(args: readonly SgNode[]): boolean {
  const objects = args
    .slice(1)
    .flatMap((a) => (a.kind() === 'identifier' ? closureValues(a.text(), a) : [a]));
  return objects.some((a) => a.kind() === 'object' && /(?:^|[{,\s])root\s*:/.test(a.text()));
}

/**
 * The values assigned to `name` before `use`, in its function or, when that function assigns it
 * nothing, in the functions around it before it was written (a route handler reading the options
 * its module function set up: Node-RED Dashboard's `const optsjs = { root: … }`).
 */
function closureValues(name: string, use: SgNode): SgNode[] {
  let at: SgNode | undefined = use;
  for (let depth = 0; at && depth < 4; depth += 1) {
    const values = assignedValues(name, at, false);
    if (values.length > 0) return values;
    at = enclosingFunction(at);
  }
  return [];
}

function pathArgument(node: SgNode, python: boolean): SgNode | undefined {
  const callee = calleeText(node);
  const args = callArguments(node);
  if (python) {
    const receiver = node.field('function')?.field('object');
    if (/\.(?:read_text|read_bytes|write_text|write_bytes|open|unlink|iterdir)$/.test(callee)) {
      return receiver && /^(?:Path|PurePath|pathlib\.Path)\(|\//.test(receiver.text()) ? receiver : undefined;
    }
    const [first] = args;
    if (!first) return undefined;
    return first.kind() === 'keyword_argument' ? (first.field('value') ?? undefined) : first;
  }
  if (RESPONSE_FILE.test(callee) && hasRootOption(args)) return undefined;
  return args[0];
}

/**
 * A Flask/FastAPI route parameter that the router confines to one path segment (`<name>`,
 * `{name}`): it cannot carry `/`, so it cannot climb out of a folder.
 */
function isSingleSegment(source: SgNode): boolean {
  if (source.kind() !== 'identifier') return false;
  const decorated = enclosingFunction(source)?.parent();
  if (decorated?.kind() !== 'decorated_definition') return false;
  const routes = decorated
    .children()
    .filter((d) => d.kind() === 'decorator')
    .map((d) => d.text())
    .join('\n');
  const name = source.text();
  if (new RegExp(`<path:${name}>|\\{${name}:path\\}`).test(routes)) return false;
  return new RegExp(`<(?:\\w+:)?${name}>|\\{${name}\\}`).test(routes);
}

function isGuarded(node: SgNode, python: boolean): boolean {
  return (python ? PY_CONTAINMENT : JS_CONTAINMENT).test(surroundingText(node));
}

/** A JavaScript archive library: what reads entries whose names the archive's author chose. */
export const ARCHIVE_LIBRARY =
  /\b(?:unzipper|yauzl|adm-zip|tar-stream|tar-fs|jszip|node-stream-zip|extract-zip)\b|\brequire\(\s*['"]tar['"]\s*\)|\bfrom\s+['"]tar['"]/;
/**
 * An entry's name as archive libraries give it: unzipper's and tar's `entry.path`, yauzl's
 * `entry.fileName`, adm-zip's `zipEntry.entryName`, tar-stream's `header.name`.
 */
const ARCHIVE_ENTRY_NAME = /^(?:\w*[eE]ntry\.(?:path|fileName|entryName)|header\.name)$/;

/**
 * Whether `name`, at `use`, is an entry an archive library hands over: a parameter of the listener
 * of an `entry` event (`.on('entry', entry => …)`, tar-stream's `(header, stream, next)`), of a
 * callback over adm-zip's `getEntries()`, of tar's `onentry`, or a `for … of …getEntries()` loop's
 * variable. A directory listing's entries (`fs.readdir(dir, { withFileTypes: true })`) are not.
 */
function archiveEntryBinding(name: string, use: SgNode): boolean {
  const bound = new RegExp(`(?:^|[^\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`);
  for (let up = use.parent(); up; up = up.parent()) {
    const kind = up.kind();
    if (kind === 'for_in_statement') {
      if (bound.test(up.field('left')?.text() ?? ''))
        return /getEntries\(\)/.test(up.field('right')?.text() ?? '');
    }
    if (!FUNCTION_KINDS.has(String(kind))) continue;
    if (!bound.test((up.field('parameters') ?? up.field('parameter'))?.text() ?? '')) continue;
    const container = up.parent();
    if (container?.kind() === 'pair')
      return /^['"]?on(?:entry|ReadEntry)['"]?$/.test(container.field('key')?.text() ?? '');
    const call = container?.kind() === 'arguments' ? container.parent() : undefined;
    if (call?.kind() !== 'call_expression') return false;
    const callee = calleeText(call);
    const first = callArguments(call)[0]?.text() ?? '';
    return (
      (/\.on$|\.once$/.test(callee) && /^['"`]entry['"`]$/.test(first)) || /getEntries\(\)\.\w+$/.test(callee)
    );
  }
  return false;
}

/** Whether the call writes: by its name, or by an `open` mode (`fs.open(p, 'w')`, `open(p, 'wb')`). */
function writesFile(node: SgNode, callee: string): boolean {
  if (WRITES.test(callee)) return true;
  const mode = /(?:^|\.)open(?:Sync)?$/.test(callee) ? callArguments(node)[1]?.text() : undefined;
  return mode !== undefined && /^['"`][rbt]*[wax+]/.test(mode);
}

/**
 * A file written under the name an archive entry gives, with no containment check (Zip Slip): an
 * archive that names `../../app/server.js` overwrites it.
 */
function archiveEntryWrite(
  node: SgNode,
  target: SgNode,
  file: FileInput,
  callee: string,
): RawFinding | undefined {
  if (!ARCHIVE_LIBRARY.test(file.text) || !writesFile(node, callee)) return undefined;
  const entry = requestFlow(target, { python: false, extraSource: ARCHIVE_ENTRY_NAME });
  const holder = entry?.field('object');
  if (!entry || !holder || !ARCHIVE_ENTRY_NAME.test(entry.text()) || isGuarded(node, false)) return undefined;
  if (!archiveEntryBinding(holder.text(), entry)) return undefined;
  const finding = sinkFinding(
    file,
    node,
    entry,
    'request',
    `\`${codeText(node.field('function') ?? node, 40)}()\` writes a file whose path comes from an archive entry's name (\`${codeText(entry)}\`), and nothing in this function checks that the path stays inside the folder it extracts to. An archive can name an entry \`../../server.js\` (Zip Slip) and overwrite any file the process can write.`,
  );
  finding.confidence = 'MED';
  return finding;
}

function matchFileSink(node: SgNode, file: FileInput): RawFinding | undefined {
  const python = isPython(file.language);
  const callee = calleeText(node);
  if (!python && PATH_BUILDER.test(callee)) return matchPathBuilder(node, file);
  if (!python && !isJsFileSink(callee, file)) return undefined;
  const target = pathArgument(node, python);
  if (!target) return undefined;
  const source = requestFlow(target, { python });
  if (!source && !python) return archiveEntryWrite(node, target, file, callee);
  if (!source || isGuarded(node, python) || (python && isSingleSegment(source))) return undefined;
  // `fs.open(tempFile, 'w', …)`, Python's `open(path, 'wb')`: the mode says it writes.
  const verb = /render$/.test(callee)
    ? 'loads and runs a view template'
    : writesFile(node, callee)
      ? 'writes or deletes a file'
      : 'reads a file';
  return sinkFinding(
    file,
    node,
    source,
    'request',
    `\`${codeText(node.field('function') ?? node, 40)}()\` ${verb} whose path comes from request data (\`${codeText(source)}\`), and nothing in this function checks that the path stays inside the intended folder. A value such as \`../../etc/passwd\` (or an absolute path) reaches any file the server can access.`,
  );
}

/** `path.join(UPLOADS, req.params.name)` whose result this function never hands to a known file call. */
function matchPathBuilder(node: SgNode, file: FileInput): RawFinding | undefined {
  const parts = callArguments(node);
  const source = parts.map((p) => requestFlow(p, { python: false })).find((s) => s !== undefined);
  if (!source || isGuarded(node, false)) return undefined;
  const scope = enclosingFunction(node) ?? node.getRoot().root();
  // When a file call in this function is itself reported, that finding already covers this path.
  const sinks = scope.findAll(JS_SINK_RULE).filter((call) => call.id() !== node.id());
  if (sinks.some((call) => !PATH_BUILDER.test(calleeText(call)) && matchFileSink(call, file)))
    return undefined;
  const finding = sinkFinding(
    file,
    node,
    source,
    'request',
    `\`${codeText(node, 50)}\` builds a file path from request data (\`${codeText(source)}\`) without checking that the result stays inside the base folder; \`../\` segments walk out of it wherever this path is used.`,
  );
  finding.confidence = 'MED';
  return finding;
}

const JS_SINK_RULE: NapiConfig = {
  rule: {
    kind: 'call_expression',
    has: {
      field: 'function',
      regex: `(^|\\.)(${FS_METHODS}|sendFile|download|render|join|resolve)$`,
    },
  },
};

/** A file path built from request data reaching a file system call without a containment check. */
export const pathTraversal: FileDetector = {
  id: 'security/path-traversal',
  category: 'security',
  scope: 'file',
  // Every finding starts at request data (file sinks and path joins alike), or at the entries of an
  // archive a JavaScript archive library reads.
  requires: {
    ...REQUEST_GATE,
    // Either part: the request gate is shared with other detectors, so it is scanned once per file.
    ...jsGate([[JS_REQUEST_GATE, ARCHIVE_LIBRARY]]),
  },
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'File path from request data (path traversal)',
  description:
    'A file is read, written, deleted or sent using a path that comes from the request, with no check that the resolved path stays inside the folder it is meant for. `../` segments or an absolute path let a caller read secrets (`.env`, keys, `/etc/passwd`) or overwrite files anywhere the server can write.',
  impact: 'HIGH',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'Legitimate requests name files inside the folder, so a containment check rejects only the malicious ones.',
  confidence: 'HIGH',
  fixSketch:
    'Resolve the path against a fixed base and reject it unless it stays inside (`const full = path.resolve(BASE, name); if (!full.startsWith(BASE + path.sep)) return 400`), or reduce the input to a file name (`path.basename`, `werkzeug.utils.secure_filename`), or serve through a helper that does this (`res.sendFile(name, { root: BASE })`, Flask `send_from_directory`).',
  steps: [
    'Open the cited line and identify the base folder the file is meant to come from and the request value that names the file.',
    'Resolve the full path against that base (`path.resolve(BASE, name)` / `(BASE / name).resolve()`) and return 400/404 unless it is inside the base (`full.startsWith(BASE + path.sep)` / `full.is_relative_to(BASE)`); or use `res.sendFile(name, { root: BASE })` / `send_from_directory(BASE, name)`, which do this for you.',
    'Keep the error response free of the resolved path so it does not reveal the server’s layout.',
    'Add a test that requests `../../package.json` (and an absolute path such as `/etc/passwd`) and asserts a 400/404 response with no file content.',
  ],
  python: {
    fixSketch:
      'Resolve the path against a fixed base and reject it unless it stays inside (`full = (BASE / name).resolve()`, then refuse it unless `full.is_relative_to(BASE)`), or reduce the input to a file name (`werkzeug.utils.secure_filename`, `os.path.basename`), or serve through a helper that does this (Flask `send_from_directory`).',
    steps: [
      'Open the cited line and identify the base folder the file is meant to come from and the request value that names the file.',
      'Resolve the full path against that base (`BASE = Path(...).resolve()`, `full = (BASE / name).resolve()`) and answer 400/404 unless it is inside the base (`full.is_relative_to(BASE)`, Python 3.9+; before that `os.path.commonpath([BASE, full]) == str(BASE)`); or use Flask’s `send_from_directory(BASE, name)`, which does this for you.',
      'Keep the error response free of the resolved path so it does not reveal the server’s layout.',
      'Add a test that requests `../../etc/passwd` (and an absolute path such as `/etc/passwd`) and asserts a 400/404 response with no file content.',
    ],
  },
  rule: {
    typescript: JS_SINK_RULE,
    tsx: JS_SINK_RULE,
    javascript: JS_SINK_RULE,
    python: {
      rule: {
        kind: 'call',
        has: {
          field: 'function',
          regex:
            '^(open|io\\.open|codecs\\.open|aiofiles\\.open|send_file|flask\\.send_file|FileResponse|os\\.(remove|unlink|listdir|rmdir)|shutil\\.(rmtree|copy|copyfile|move))$|\\.(read_text|read_bytes|write_text|write_bytes|open|unlink|iterdir)$',
        },
      },
    },
  },
  match: matchFileSink,
};
