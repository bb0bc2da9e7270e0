import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { callArguments, calleeText, keywordValue } from '../correctness/enclosing-function.ts';
import { findingAt, patternGoneCheck } from '../correctness/finding-at.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { requestFlow } from './request-flow.ts';
import { codeText } from './sink-finding.ts';
import { isPython } from './value-source.ts';

/** libxmljs (and its forks) substitute entities, external ones included, only when asked: `noent: true`. */
const LIBXML = /\blibxml(?:js2?)?\b|['"]libxmljs/;
/** SAX features that make the parser fetch external entities (files, URLs) while parsing. */
const SAX_EXTERNAL = /feature_external_[gp]es\b|external-(?:general|parameter)-entities/;
const TRUE = /^(?:true|True|1)$/;

/**
 * Done checks that pass once the file no longer turns the option on, wherever and however the line
 * is rewritten (a check that the cited line changed would pass if only its quotes did).
 */
const OPTION_ERE = {
  noent: `noent['"]?[[:space:]]*:[[:space:]]*true`,
  feature:
    'setFeature[(][^)]*(feature_external_[gp]es|external-(general|parameter)-entities)[^)]*,[[:space:]]*(True|1)[[:space:]]*[)]',
  resolve: 'resolve_entities[[:space:]]*=[[:space:]]*(True|1)',
  network: 'no_network[[:space:]]*=[[:space:]]*(False|0)',
};

function optionGone(file: FileInput, option: keyof typeof OPTION_ERE): string {
  return patternGoneCheck(file, OPTION_ERE[option]);
}

/** The parse call an options object is passed to, and what it parses (its first argument). */
function parsedInput(pair: SgNode): SgNode | undefined {
  const object = pair.parent();
  const args = object?.parent();
  if (object?.kind() !== 'object' || args?.kind() !== 'arguments') return undefined;
  const first = args.children().find((child) => child.isNamed());
  return first && first.id() !== object.id() ? first : undefined;
}

function matchJs(node: SgNode, file: FileInput): RawFinding | undefined {
  if (node.kind() === 'string' || node.kind() === 'template_string') {
    // Code run as text (Juice Shop's `vm.runInContext('libxml.parseXml(data, { noent: true })', …)`).
    if (!LIBXML.test(file.text) || !/parseXml\w*\([^)]*\bnoent\s*:\s*true/.test(node.text()))
      return undefined;
    return findingAt(file, node, {
      doneCheck: optionGone(file, 'noent'),
      message:
        'The code this string holds parses XML with `noent: true`, which makes libxml substitute entities, external ones included: a document that declares `<!ENTITY x SYSTEM "file:///etc/passwd">` gets the file (or a URL: SSRF) read into it. Anyone who can send this parser a document can read the server’s files (XXE).',
    });
  }
  const value = node.field('value');
  if (!value || !TRUE.test(value.text()) || !LIBXML.test(file.text)) return undefined;
  const input = parsedInput(node);
  const source = input ? requestFlow(input, { python: false }) : undefined;
  return findingAt(file, node, {
    doneCheck: optionGone(file, 'noent'),
    confidence: source ? 'HIGH' : 'MED',
    message: source
      ? `libxml parses request data (\`${codeText(source)}\`) with \`noent: true\`, so a document that declares \`<!ENTITY x SYSTEM "file:///etc/passwd">\` gets the file's content (or a URL's: SSRF) substituted where it uses \`&x;\`: XML external entities (XXE).`
      : '`noent: true` makes libxml substitute entities while parsing, external ones included: a document that declares `<!ENTITY x SYSTEM "file:///etc/passwd">` gets the file (or a URL: SSRF) read into it where it uses `&x;`. Anyone who can send this parser a document can read the server’s files (XXE).',
  });
}

function matchPython(node: SgNode, file: FileInput): RawFinding | undefined {
  const callee = calleeText(node);
  if (/(?:^|\.)setFeature$/.test(callee)) {
    const [feature, on] = callArguments(node);
    if (!feature || !on || !SAX_EXTERNAL.test(feature.text()) || !TRUE.test(on.text())) return undefined;
    return findingAt(file, node, {
      doneCheck: optionGone(file, 'feature'),
      message: `\`${codeText(node, 80)}\` makes the SAX parser fetch external entities: a document that declares \`<!ENTITY x SYSTEM "file:///etc/passwd">\` gets the file (or a URL: SSRF) read into it. Anyone who can send this parser a document can read the server’s files (XXE).`,
    });
  }
  const resolve = keywordValue(callArguments(node), 'resolve_entities');
  const network = keywordValue(callArguments(node), 'no_network');
  const resolves = resolve !== undefined && TRUE.test(resolve.text());
  const fetches = network !== undefined && /^(?:False|0)$/.test(network.text());
  if (!resolves && !fetches) return undefined;
  return findingAt(file, node, {
    doneCheck: [resolves ? optionGone(file, 'resolve') : '', fetches ? optionGone(file, 'network') : '']
      .filter(Boolean)
      .join(' && '),
    message: fetches
      ? `\`${callee}(no_network=False)\` lets lxml fetch external entities and DTDs over the network while parsing: a document can make the server request any URL (SSRF) and, with entities resolved, read its files (XXE).`
      : `\`${callee}(resolve_entities=True)\` makes lxml substitute external entities: a document that declares \`<!ENTITY x SYSTEM "file:///etc/passwd">\` gets the file read into it. Anyone who can send this parser a document can read the server’s files (XXE).`,
  });
}

const JS_RULE: NapiConfig = {
  rule: {
    any: [
      { kind: 'pair', has: { field: 'key', regex: '^[\'"]?noent[\'"]?$' } },
      { kind: 'string', regex: 'parseXml\\w*\\([^)]*noent\\s*:\\s*true' },
      { kind: 'template_string', regex: 'parseXml\\w*\\([^)]*noent\\s*:\\s*true' },
    ],
  },
};

const PY_RULE: NapiConfig = {
  rule: { kind: 'call', has: { field: 'function', regex: '(^|\\.)(XMLParser|XMLPullParser|setFeature)$' } },
};

/** XML parsed with external entities on: libxmljs `noent: true`, lxml `resolve_entities=True`, SAX external entities. */
export const xxe: FileDetector = {
  id: 'security/xxe',
  category: 'security',
  scope: 'file',
  requires: {
    ...jsGate(/\bnoent\b/),
    python: /resolve_entities|no_network|feature_external_[gp]es|external-(?:general|parameter)-entities/,
  },
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'XML parsed with external entities enabled (XXE)',
  description:
    'An XML parser is told to resolve external entities, so a document can pull the server’s files (`file:///etc/passwd`, keys, configuration) or any URL into what it parses: file disclosure, server-side requests to internal hosts, and denial of service through entity expansion.',
  impact: 'HIGH',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'Ordinary documents use no external entities; only documents that rely on a DTD fetched from elsewhere stop resolving it.',
  confidence: 'MED',
  fixSketch:
    'Turn entity resolution off: drop `noent: true` from the libxmljs options (its default leaves entities alone); in Python build the parser with `lxml.etree.XMLParser(resolve_entities=False, no_network=True)` or parse untrusted XML with `defusedxml`, and never set the SAX `feature_external_ges`/`feature_external_pes` features to true.',
  steps: [
    'Open the cited line and find which documents reach this parser (uploads, request bodies, files from users).',
    'Remove the option that enables external entities (`noent: true`, `resolve_entities=True`, `no_network=False`, `setFeature(feature_external_ges, True)`); in Python prefer `defusedxml` for documents from outside.',
    'If the code needs entities from its own DTD, load that DTD explicitly from a file the program owns instead of letting documents name one.',
    'Add a test that parses a document declaring `<!ENTITY xxe SYSTEM "file:///etc/hostname">` and using `&xxe;`, and asserts the parsed text does not contain the file’s content (or that parsing is refused).',
  ],
  rule: { typescript: JS_RULE, tsx: JS_RULE, javascript: JS_RULE, python: PY_RULE },
  match: (node, file) => (isPython(file.language) ? matchPython(node, file) : matchJs(node, file)),
};
