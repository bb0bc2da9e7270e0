import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { jsAndPython } from '../call-rules.ts';
import { callArguments, calleeText, enclosingFunction, kindOf } from '../correctness/enclosing-function.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { requestFlow, surroundingText } from './request-flow.ts';
import { codeText, sinkFinding } from './sink-finding.ts';
import {
  assignedValues,
  builtString,
  isPython,
  JS_REQUEST_GATE,
  PY_REQUEST_GATE,
  unwrap,
  valueSource,
} from './value-source.ts';

/** Request parts that can hold nested objects (`{"$ne": null}`): JSON bodies and qs-parsed query strings. */
const JS_STRUCTURED =
  /^(?:req|request)\.(?:body|query|payload)\b|^ctx\.request\.body\b|^(?:req|request)\.json\(\)|^(?:body|query)\b/;
const PY_STRUCTURED = /^request\.(?:json|get_json\(|data|body)|^(?:json\.loads)/;
const MONGO_FILE = /mongoose|mongodb|\bmonk\b|mongojs|pymongo|motor|mongoengine|\.collection\(|\bdb\[\s*['"]/;
/** Filter keys of SQL ORMs (Sequelize, TypeORM, Prisma), whose filters do not read `$` operators from JSON. */
const ORM_KEYS = /^(?:where|select|include|order|relations|attributes|data|skip|take)$/;

function isStructured(source: SgNode, python: boolean): boolean {
  return (python ? PY_STRUCTURED : JS_STRUCTURED).test(source.text().replace(/^await\s+/, ''));
}

function objectFlow(node: SgNode, python: boolean): SgNode | undefined {
  const source = requestFlow(node, { python, mode: 'object' });
  return source && isStructured(source, python) ? source : undefined;
}

interface Injection {
  part: SgNode;
  source: SgNode;
}

/** The filter's entries (following one local assignment to an object literal). */
function filterEntries(filter: SgNode, python: boolean): SgNode[] | undefined {
  let expr = unwrap(filter);
  if (expr.kind() === 'identifier') {
    const values = assignedValues(expr.text(), expr, python);
    if (values.length !== 1 || !values[0]) return undefined;
    expr = unwrap(values[0]);
  }
  if (expr.kind() !== 'object' && expr.kind() !== 'dictionary') return undefined;
  return expr.children().filter((c) => c.isNamed() && c.kind() !== 'comment');
}

function keyText(pair: SgNode): string {
  return (pair.field('key')?.text() ?? pair.text()).replace(/^['"]|['"]$/g, '');
}

function injectionIn(filter: SgNode, python: boolean): Injection | undefined {
  const whole = objectFlow(filter, python);
  if (whole) return { part: filter, source: whole };
  const entries = filterEntries(filter, python) ?? [];
  if (entries.some((e) => ORM_KEYS.test(keyText(e)))) return undefined;
  for (const entry of entries) {
    const kind = kindOf(entry);
    const value =
      kind === 'pair'
        ? entry.field('value')
        : kind === 'shorthand_property_identifier'
          ? entry
          : kind === 'spread_element' || kind === 'dictionary_splat'
            ? entry.children().find((c) => c.isNamed())
            : null;
    // `$where` is judged where the pair is written (see matchWhere), wherever the filter is built.
    if (!value || keyText(entry) === '$where') continue;
    const source =
      kind === 'shorthand_property_identifier' ? objectFlowOfName(entry, python) : objectFlow(value, python);
    if (source) return { part: value, source };
  }
  return undefined;
}

/** `{ email }` in JS is `{ email: email }`: follow the identifier it names. */
function objectFlowOfName(shorthand: SgNode, python: boolean): SgNode | undefined {
  const values = assignedValues(shorthand.text(), shorthand, python);
  for (const value of values) {
    const source = objectFlow(value, python);
    if (source) return source;
  }
  return undefined;
}

function isTypeChecked(node: SgNode, python: boolean): boolean {
  const text = surroundingText(node);
  return python
    ? /isinstance\([^)]*,\s*str\)|mongo_sanitize|sanitize/.test(text)
    : /typeof\s+[\w.]+\s*[!=]==?\s*['"]string['"]|mongoSanitize|mongo-sanitize|sanitizeFilter|\$eq\s*:/.test(
        text,
      );
}

/**
 * A module path of the project's own: relative, or through the aliases bundlers and Node give the
 * source folder (`@/models/User` in a Next.js app over Mongoose, `~/models`, `#models/user`,
 * `src/models`).
 */
const OWN_MODULE = /^(?:[./~#]|@\/|src\/)/;
/** A package that is a MongoDB driver or object mapper, or builds on one. */
const MONGO_PACKAGE = /mongo|\bmonk\b|typegoose|mongoist/i;

/**
 * The module the file takes `name` from: `const Table = require('x')`, `import Table from 'x'`,
 * `const { Table } = require('x')`, `import { Table } from 'x'`; undefined when the file does not
 * import it (a global, a parameter, a class of its own).
 */
function importedFrom(name: string, text: string): string | undefined {
  if (!text.includes(name)) return undefined;
  const id = name.replace(/\$/g, '\\$');
  const binding = String.raw`(?:${id}|\{(?:[^}]*?[\s,:])?${id}\s*(?=[,}])[^}]*\}|\*\s+as\s+${id})`;
  const pattern = new RegExp(
    String.raw`(?:\b(?:const|let|var)\s+${binding}\s*=\s*require\s*\(\s*|\bimport\s+(?:type\s+)?${binding}\s+from\s*)(['"])([^'"\n]+)\1`,
  );
  return pattern.exec(text)?.[2];
}

function matchQuery(node: SgNode, file: FileInput): RawFinding | undefined {
  const python = isPython(file.language);
  const callee = calleeText(node);
  const args = callArguments(node);
  const filter = /\.distinct$/.test(callee) ? args[1] : args[0];
  if (!filter || filter.kind() === 'keyword_argument' || filter.kind() === 'arrow_function') return undefined;
  const receiver = /^([\w$]+)\./.exec(callee)?.[1] ?? '';
  const entries = filterEntries(filter, python);
  // `update` is too common a method name to trust without a literal filter object.
  if (/\.update$/.test(callee) && !entries) return undefined;
  const operators = entries?.some((e) => keyText(e).startsWith('$')) ?? false;
  const mongoish =
    MONGO_FILE.test(file.text) || operators || /^[A-Z]/.test(receiver) || /_one$|_many$/.test(callee);
  if (!mongoish) return undefined;
  const found = injectionIn(filter, python);
  if (!found || isTypeChecked(node, python)) return undefined;
  const method = callee.slice(callee.lastIndexOf('.') + 1);
  // Only the receiver's capital says "model": when the file takes it from a package that is no
  // MongoDB library (Saltcorn's `const Table = require("@saltcorn/data/models/table")`, over SQL),
  // whether its filters read operator objects is that package's business, not a certainty.
  const onlyByName = !python && !MONGO_FILE.test(file.text) && !operators && !/_one$|_many$/.test(callee);
  const from = onlyByName ? importedFrom(receiver, file.text) : undefined;
  const otherLibrary = from !== undefined && !OWN_MODULE.test(from) && !MONGO_PACKAGE.test(from);
  const finding = sinkFinding(
    file,
    node,
    found.source,
    'request',
    `The filter of this \`${method}()\` takes \`${codeText(found.source)}\` from the request as it is, so a JSON body or query string such as \`{"$ne": null}\` / \`?password[$ne]=x\` becomes a query operator: a login check matches any user, a lookup returns every document.${
      otherLibrary
        ? ` \`${receiver}\` comes from \`${from}\`, not a MongoDB library: this holds if its filters read operator objects (\`{ gt: … }\`, \`{ in: […] }\`), which that package decides.`
        : ''
    }`,
  );
  if (otherLibrary) finding.confidence = 'MED';
  return finding;
}

/** `{ $where: … }` built from anything but a constant: JavaScript evaluated by the database. */
function matchWhere(node: SgNode, file: FileInput): RawFinding | undefined {
  const python = isPython(file.language);
  const value = node.field('value');
  if (!value || valueSource(value, python) === 'constant') return undefined;
  const source = requestFlow(value, { python });
  const part = source ?? value;
  const finding = sinkFinding(
    file,
    node,
    part,
    source ? 'request' : 'unknown',
    `This \`$where\` clause is JavaScript that the database evaluates, built from ${source ? `request data (\`${codeText(source)}\`)` : `\`${codeText(value)}\`, a value this function does not control`}: whoever controls it runs code in the database (read every document, or hang it with \`while(true){}\`).`,
  );
  if (!source && holdsCallResult(value, python)) {
    // `const where = this.$__where(); … callback(null, { $where: where })` (mongoose): a value
    // that a call produced, of unknown type, where `$where` only runs strings and functions.
    finding.confidence = 'LOW';
  }
  return finding;
}

/**
 * An identifier whose every assignment is the result of a call, in the nearest enclosing function
 * (callbacks included) that assigns it.
 */
function holdsCallResult(value: SgNode, python: boolean): boolean {
  if (value.kind() !== 'identifier') return false;
  for (let use: SgNode | undefined = value; use; use = enclosingFunction(use)) {
    const values = assignedValues(value.text(), use, python);
    // `where[key] = val` also counts as an assignment of `where`; what matters is that a call
    // made the value and nothing wrote code text into it.
    if (values.length > 0)
      return (
        values.some((v) => unwrap(v).kind() === (python ? 'call' : 'call_expression')) &&
        !values.some(
          (v) =>
            builtString(v, python) !== undefined ||
            /^(?:string|template_string)$/.test(String(unwrap(v).kind())),
        )
      );
  }
  return false;
}

const METHODS =
  'find|findOne|findOneAndUpdate|findOneAndDelete|findOneAndReplace|findOneAndRemove|update|updateOne|updateMany|deleteOne|deleteMany|replaceOne|countDocuments|count|distinct|exists';
const WHERE_KEY = '^[\'"]?\\$where[\'"]?$';
const JS_RULE: NapiConfig = {
  rule: {
    any: [
      { kind: 'call_expression', has: { field: 'function', regex: `\\.(${METHODS})$` } },
      { kind: 'pair', has: { field: 'key', regex: WHERE_KEY } },
    ],
  },
};

/** A MongoDB filter taken from request data as it is (operator injection), or a `$where` built from data. */
export const nosqlInjection: FileDetector = {
  id: 'security/nosql-injection',
  category: 'security',
  scope: 'file',
  // A query call, and request data for its filter (only `$where` reports any non-constant value).
  requires: {
    ...jsGate([/find|update|delete|replaceOne|count|distinct|exists|\$where/, [JS_REQUEST_GATE, /\$where/]]),
    python: [
      /find|update_|delete_|replace_one|count_documents|distinct|\$where/,
      [PY_REQUEST_GATE, /\$where/],
    ],
  },
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'MongoDB filter from request data (NoSQL operator injection)',
  description:
    'A MongoDB query filter is built from request values without checking that they are plain strings or numbers. JSON bodies and `qs`-parsed query strings can carry objects, so a value such as `{"$ne": null}` or `{"$gt": ""}` turns an equality check into an operator: logins succeed without the password, lookups return other users’ documents. `$where` clauses built from data run JavaScript on the database server.',
  impact: 'HIGH',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'Legitimate clients send strings for these fields; coercing or validating them rejects only objects that were never meant to be accepted.',
  confidence: 'HIGH',
  fixSketch:
    'Validate the request with a schema (zod, Joi, pydantic) that requires strings, or coerce each value (`String(req.body.email)`), or wrap it as `{ $eq: value }`; enable `mongoose.set("sanitizeFilter", true)` or `express-mongo-sanitize` as a second line of defence. Never build `$where` from data: use query operators instead.',
  steps: [
    'Open the cited line and list every filter value that comes from the request (follow destructuring such as `const { email } = req.body`).',
    'Validate the request body/query with the schema library the project already uses, declaring these fields as strings (or numbers); reject the request with 400 when validation fails. Without a schema library, coerce each value with `String(...)` or wrap it as `{ $eq: value }`.',
    'If the filter uses `$where`, rewrite the condition with query operators (`$regex`, `$expr`, comparisons) so that no data is evaluated as code.',
    'Add a test that posts `{"email": "a@b.c", "password": {"$ne": null}}` (or the equivalent query string) and asserts the request is rejected and no document is returned.',
  ],
  python: {
    fixSketch:
      'Validate the request with a schema (pydantic, marshmallow) that requires strings, or refuse any value that is not a `str` (`isinstance(value, str)`), or wrap it as `{"$eq": value}`. Never build `$where` from data: use query operators instead.',
    steps: [
      'Open the cited line and list every filter value that comes from the request (follow local variables such as `email = request.json["email"]`).',
      'Validate the request body or query with the schema library the project already uses (pydantic, marshmallow), declaring these fields as strings (or numbers); answer 400 when validation fails. Without a schema library, refuse any value that is not a `str` (`isinstance(value, str)`), or wrap it as `{"$eq": value}`.',
      'If the filter uses `$where`, rewrite the condition with query operators (`$regex`, `$expr`, comparisons) so that no data is evaluated as code.',
      'Add a test that posts the JSON body `{"email": "a@b.c", "password": {"$ne": ""}}` and asserts the request is rejected and no document is returned.',
    ],
  },
  rule: jsAndPython(JS_RULE, {
    rule: {
      any: [
        { kind: 'pair', has: { field: 'key', regex: WHERE_KEY } },
        {
          kind: 'call',
          has: {
            field: 'function',
            regex:
              '\\.(find|find_one|find_one_and_update|find_one_and_delete|find_one_and_replace|update_one|update_many|delete_one|delete_many|replace_one|count_documents|distinct)$',
          },
        },
      ],
    },
  }),
  match: (node, file) => (node.kind() === 'pair' ? matchWhere(node, file) : matchQuery(node, file)),
};
