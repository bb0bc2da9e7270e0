import type { NapiConfig, SgNode } from '@ast-grep/napi';
import type { Confidence } from '../../core/types.ts';
import { callArguments, calleeText, enclosingFunction, kindOf } from '../correctness/enclosing-function.ts';
import { findingAt } from '../correctness/finding-at.ts';
import { escapeRegExp } from '../dx/shell-quote.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding, RepoContext } from '../types.ts';
import { importedConstantMarkup } from './imported-markup.ts';
import { JQUERY_RULE, jquerySink } from './jquery-sinks.ts';
import { moduleValues, parametersOf } from './local-bindings.ts';
import { BROWSER_SOURCE, requestFlow } from './request-flow.ts';
import { codeText, sinkFinding } from './sink-finding.ts';
import { assignedValues, builtString, isPython, unwrap, valueSource } from './value-source.ts';
import { VUE_TEMPLATE_RULE, vueTemplateFinding } from './vue-template-string.ts';

/** Calls whose output is safe to insert as HTML: escapers and sanitisers (jsesc escapes for a `<script>`). */
const SANITIZER =
  /(?:^|\.)(?:\w*[sS]anitize\w*|\w*[eE]scape\w*|purify|xss|filterXSS|insane|encode\w*|conditional_escape|format_html|bleach\.clean|clean|strip_tags|linkify|jsesc)$/;
/**
 * Python URL builders (Flask's `url_for`, Flask-Security's `url_for_security`, Django's `reverse`):
 * they percent-encode what they put in a URL, so no quote or angle bracket comes out.
 */
const PY_URL_BUILDER = /(?:^|\.)(?:url_for\w*|reverse(?:_lazy)?)$/;
/**
 * Producers of markup that is usually trusted (serialised JSON, rendered components, highlighters),
 * and a rich-text editor serialising its own document, which emits only the tags its schema knows
 * (WordPress's `valueToHTMLString(value)`, TipTap's `editor.getHTML()`).
 */
const LOW_RISK =
  /^(?:JSON\.stringify|\w*[rR]enderToString|\w*[rR]enderToStaticMarkup|\w*[hH]ighlight\w*|katex\.\w+|\w+\.(?:innerHTML|outerHTML)|\w*[tT]o(?:HTML|Html)\w*|(?:[\w$]+\.)*getHTML)\b/;

type Verdict = { confidence: Confidence; part: SgNode; how: string } | undefined;

/** Calls that keep or cut their input's text and add none (`truncateString(s, n)`, `s.slice(0, 40)`). */
const TEXT_CUT = /(?:^|\.)(?:truncate\w*|slice|substring|substr|trim\w*|to(?:Upper|Lower)Case)$/;

/** React's memo hook: its value is what the function passed to it returns. */
const MEMO_HOOK = /^(?:React\.)?useMemo$/;

/** What an inline function returns: its expression body, or the value of each of its own returns. */
function returnedValues(fn: SgNode | undefined): SgNode[] {
  if (!fn || !/^(?:arrow_function|function_expression)$/.test(kindOf(fn))) return [];
  const body = fn.field('body');
  if (!body) return [];
  if (body.kind() !== 'statement_block') return [body];
  return body
    .findAll({ rule: { kind: 'return_statement' } })
    .filter((statement) => enclosingFunction(statement)?.id() === fn.id())
    .map((statement) => statement.children().find((child) => child.isNamed() && child.kind() !== 'comment'))
    .filter((value): value is SgNode => value !== undefined);
}

function isSanitized(node: SgNode, python: boolean, depth = 0): boolean {
  const expr = unwrap(node);
  if (depth > 4) return false;
  // An escaped piece, a constant, or nothing but escaped pieces and constants.
  const safe = (part: SgNode) =>
    valueSource(part, python) === 'constant' || isSanitized(part, python, depth + 1);
  if (kindOf(expr) === 'call_expression' || kindOf(expr) === 'call') {
    const callee = calleeText(expr);
    if (SANITIZER.test(callee) || (python && PY_URL_BUILDER.test(callee)) || escapingTemplate(expr))
      return true;
    // `useMemo(() => sanitizeSVGContent(content), [content])` (LobeChat's SVG artifact): the value
    // is what the function returns.
    if (!python && MEMO_HOOK.test(callee)) {
      const returned = returnedValues(callArguments(expr)[0]);
      return returned.length > 0 && returned.every(safe);
    }
    // `RED.utils.truncateString(topic, 120)`, `escaped.slice(0, 40)`: cutting escaped text keeps it escaped.
    if (!python && TEXT_CUT.test(callee)) {
      const [first, ...rest] = callArguments(expr);
      const receiver = expr.field('function')?.field('object');
      const cut = /(?:^|\.)truncate\w*$/.test(callee) ? first : receiver;
      const others = cut === first ? rest : callArguments(expr);
      return (
        !!cut &&
        isSanitized(cut, python, depth + 1) &&
        others.every((a) => valueSource(a, python) === 'constant' || isNumeric(a, python))
      );
    }
    return false;
  }
  if (!python && kindOf(expr) === 'ternary_expression') {
    const branches = [expr.field('consequence'), expr.field('alternative')];
    return branches.every((b) => b !== null && safe(b));
  }
  if (!python && (kindOf(expr) === 'template_string' || kindOf(expr) === 'binary_expression')) {
    const built = builtString(expr, python);
    return built?.dynamic.every(safe) ?? false;
  }
  if (kindOf(expr) === 'identifier') {
    const values = assignedValues(expr.text(), expr, python);
    return values.length > 0 && values.every((v) => isSanitized(v, python, depth + 1));
  }
  return false;
}

/**
 * A call of a template compiled from a literal that only interpolates escaped values: Jupyter
 * Notebook's `_.template('<b><%- version %></b>')({ version })`. Underscore's and lodash's `<%-`
 * escape; `<%=` and `<% code %>` do not, and the template string must be written out.
 */
function escapingTemplate(call: SgNode): boolean {
  const compiled = call.field('function');
  if (
    compiled?.kind() !== 'call_expression' ||
    !/^(?:_|lodash|underscore)\.template$/.test(calleeText(compiled))
  )
    return false;
  const source = callArguments(compiled)[0];
  if (source?.kind() !== 'string') return false;
  const tags = source.text().match(/<%[-=]?/g) ?? [];
  return tags.every((tag) => tag === '<%-');
}

/** `icon` where the file declares `const icon = '<svg …>'` at the top level (and nothing reassigns it here). */
function isModuleConstant(value: SgNode, python: boolean): boolean {
  const expr = unwrap(value);
  if (expr.kind() !== 'identifier' || assignedValues(expr.text(), expr, python).length > 0) return false;
  const values = moduleValues(expr, python);
  return values.length > 0 && values.every((v) => valueSource(v, python) === 'constant');
}

/**
 * What the browser says about itself (CyberChef's bug report shows `navigator.userAgent`): only
 * the person at the keyboard can change it, for their own page.
 */
const BROWSER_FACT = /^(?:window\.)?navigator\.(?:userAgent|platform|language|languages|appVersion|vendor)$/;

const NUMBER_CALL =
  /(?:^|\.)(?:toFixed|toPrecision|toExponential|toLocaleString)$|^(?:Math\.\w+|Number|parseInt|parseFloat)$/;
/** String methods that add or remove only what their literal arguments say (`.padStart(5, " ")`). */
const LITERAL_EDIT = /\.(?:padStart|padEnd|replace|replaceAll|trim|trimStart|trimEnd)$/;
const LITERAL_KINDS: ReadonlySet<string> = new Set(['string', 'number', 'regex']);
/**
 * Calls that render a date or time (`getTimestamp()` in Node-RED's debug sidebar,
 * `d.toISOString()`, `formatDate(d)`): digits and separators, no markup.
 */
const TIME_CALL =
  /(?:^|\.)(?:toISOString|toLocaleDateString|toLocaleTimeString|toDateString|toTimeString|toUTCString)$|^Date\.now$|(?:^|\.)(?:get|format)(?:Timestamp|Time|Date|DateTime)$/;
/**
 * Python calls that render a number or a date as text (`timesince(dt)` in Horizon's
 * `timesince_sortable` filter, Django's humanize `naturaltime`, `d.strftime(…)`, `len(items)`):
 * digits, separators and the app's own translated units, no markup.
 */
const PY_NUMBER_OR_TIME_CALL =
  /^(?:int|float|len|round|abs)$|(?:^|\.)(?:timesince|timeuntil|naturaltime|naturalday|intcomma|intword|filesizeformat|date_format|time_format|number_format|strftime|isoformat)$/;
const ARITHMETIC = new Set(['-', '*', '/', '%', '**']);
/**
 * Names that hold a number by convention (`socketCount`, `data.timing`, `totalMs`, `pageIndex`):
 * a count or a measurement is not markup.
 */
const NUMBER_NAME =
  /^(?:count|total|length|timing|elapsed|duration|percent(?:age)?|progress|width|height)$|[a-z0-9](?:Count|Total|Length|Ms|Millis|Seconds|Percent(?:age)?|Index|Width|Height)$/;

/**
 * Whether the function counts with this variable before `identifier` (`n++`, `--n`): after that
 * runs, `n` holds a number. Etherpad's line numbers (`lineNumbersShown++`, then
 * `\`<span class='line-number'>${String(lineNumbersShown)}</span>\``).
 */
function countedBefore(identifier: SgNode): boolean {
  const fn = enclosingFunction(identifier);
  if (!fn) return false;
  const name = identifier.text();
  const start = identifier.range().start.index;
  return fn
    .findAll({ rule: { kind: 'update_expression' } })
    .some((update) => update.range().end.index <= start && update.field('argument')?.text() === name);
}

/**
 * A value that is a number (or a rendered date) whatever its inputs (`x.toFixed(2)`, `a / b`,
 * `Math.round(x)`), or a number turned into text (`String(n)`, `n.toString()`): no markup.
 */
function isNumeric(value: SgNode, python: boolean, depth = 0): boolean {
  const expr = unwrap(value);
  switch (expr.kind()) {
    case 'number':
      return true;
    case 'call_expression': {
      const callee = expr.field('function')?.text() ?? '';
      if (NUMBER_CALL.test(callee) || TIME_CALL.test(callee)) return true;
      const args = callArguments(expr);
      if (callee === 'String' && args.length === 1 && args[0]) return isNumeric(args[0], python);
      const receiver = expr.field('function')?.field('object');
      // CyberChef's counters: `loading.toLocaleString().padStart(width, " ").replace(/ /g, "&nbsp;")`.
      if (
        LITERAL_EDIT.test(callee) &&
        receiver &&
        args.every((arg) => LITERAL_KINDS.has(String(arg.kind())) || isNumeric(arg, python))
      )
        return isNumeric(receiver, python);
      return /\.toString$/.test(callee) && args.length === 0 && !!receiver && isNumeric(receiver, python);
    }
    case 'call':
      return python && PY_NUMBER_OR_TIME_CALL.test(expr.field('function')?.text() ?? '');
    case 'unary_expression':
      return /^[-+~]/.test(expr.text());
    case 'binary_expression': {
      const operator = expr.field('operator')?.text() ?? '';
      if (ARITHMETIC.has(operator)) return true;
      // `index + 1` (NodeBB's "3 / 12" counter): a number plus a number literal. A string plus one
      // (`'#' + 1`) is written with the string in it, which this leaves out.
      if (operator !== '+') return false;
      const sides = [expr.field('left'), expr.field('right')].map((side) =>
        side ? unwrap(side) : undefined,
      );
      return (
        sides.some((side) => side?.kind() === 'number') &&
        sides.every((side) => side !== undefined && !STRINGISH.has(String(side.kind())))
      );
    }
    case 'member_expression':
      // `results.length`: an array's or a string's length is a number.
      return NUMBER_NAME.test(expr.field('property')?.text() ?? '');
    case 'identifier': {
      // Counting (`n++`) is JavaScript's; Python's tree has no update expressions to search.
      if (NUMBER_NAME.test(expr.text()) || (!python && countedBefore(expr))) return true;
      // `const totalStr = total.toLocaleString().padStart(width, " ")` (CyberChef), then `totalStr`.
      if (depth > 2) return false;
      const values = assignedValues(expr.text(), expr, python);
      return values.length > 0 && values.every((assigned) => isNumeric(assigned, python, depth + 1));
    }
    default:
      return false;
  }
}

/**
 * A value added to a number literal on its own (`(index + 1)` inside markup): the string builder
 * splits the sum into its operands, so the sum is recognised from the operand.
 */
function addedToNumber(part: SgNode, python: boolean): boolean {
  const parent = part.parent();
  if (parent?.kind() !== 'binary_expression' || parent.field('operator')?.text() !== '+') return false;
  return isNumeric(parent, python);
}

/**
 * The app's own translated text looked up by a literal key (`RED._('node-red:debug.sidebar.clear')`
 * in Node-RED, `i18n.t('save')`, `$t('title')`, `_('Done')`): written by the developers and
 * translators, not by users.
 */
const TRANSLATION_CALL =
  /^(?:[\w$.]*\.)?(?:_|__|_l|t|\$t|(?:lazy_|[nup]|ngettext_|pgettext_)?gettext(?:_lazy)?|translate)$/;
/** A configuration or message key (`"FORGOT_PASSWORD"`, `'DEFAULT_REMEMBER_ME'`). */
const CONFIG_KEY = /^["'][A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+["']$/;

/**
 * Whether `part` is the app's own text looked up by a literal key: a translation, or a message
 * or setting named by an upper-case key (Flask-Security's `get_message("FORGOT_PASSWORD")[0]`),
 * taken whole or by a constant index.
 */
function isTranslation(part: SgNode): boolean {
  let expr = unwrap(part);
  if (/^(?:subscript|subscript_expression)$/.test(kindOf(expr))) {
    const index = expr.field(kindOf(expr) === 'subscript' ? 'subscript' : 'index');
    const object = expr.field(kindOf(expr) === 'subscript' ? 'value' : 'object');
    if (!index || !object || !/^(?:integer|number)$/.test(kindOf(index))) return false;
    expr = unwrap(object);
  }
  if (kindOf(expr) !== 'call_expression' && kindOf(expr) !== 'call') return false;
  const args = callArguments(expr);
  const [key] = args;
  if (key === undefined || key.kind() !== 'string') return false;
  return TRANSLATION_CALL.test(calleeText(expr)) || (args.length === 1 && CONFIG_KEY.test(key.text()));
}

const STRINGISH: ReadonlySet<string> = new Set([
  'string',
  'template_string',
  'binary_expression',
  'call_expression',
]);

/** Names of values that hold rendered markup rather than text. */
const MARKUP_NAME = /(?:^|[._])(?:\w*html|markup|rendered|output|widgets?|forms?|tags?|attrs|classes|css)$/i;

/** Python calls that hand back rendered markup or join pieces of it. */
const RENDERING_CALL =
  /^(?:str|format_html|format_html_join|render_to_string)$|\.(?:join|render\w*|as_\w+|\w*html)$/;

/** A Python value rendered by a call (`str(form)`, `' '.join(classes)`) or named as rendered markup. */
function isRenderedPiece(part: SgNode): boolean {
  const value = unwrap(part);
  if (value.kind() === 'call') return RENDERING_CALL.test(value.field('function')?.text() ?? '');
  return (value.kind() === 'identifier' || value.kind() === 'attribute') && MARKUP_NAME.test(value.text());
}

/** Names of values that hold text someone wrote: an alt text, a title, a comment, a search. */
const TEXT_NAME =
  /(?<![\w$])(?:alt|title|name|label|text|content|description|comment|message|caption|summary|query|search|input)(?![\w$(])/i;

/** How strongly a piece of built markup deserves the citation: text-named values first, locals assembled from other values last. */
function citeRank(part: SgNode, python: boolean): number {
  const value = unwrap(part);
  if (TEXT_NAME.test(value.text())) return 2;
  if (value.kind() !== 'identifier') return 1;
  const assigned = assignedValues(value.text(), value, python);
  return assigned.length > 0 && assigned.every((v) => builtString(v, python) !== undefined) ? 0 : 1;
}

/** An escaper applied inside the piece (`escape(header).split(',')`). */
const ESCAPED_ON_THE_WAY = /\b(?:conditional_)?escape\w*\(|\bstrip_tags\(|\bbleach\.clean\(/;
/** Decorators that make a Python function a template filter or tag (Django, Jinja). */
const TEMPLATE_FILTER =
  /^@\s*(?:[\w.]+\.)?(?:filter|simple_tag|stringfilter|template_filter|app_template_filter)\b/m;

/**
 * Whether `part` is made from a parameter of the template filter or tag it is in (`header` in
 * `@register.filter def break_long_headers(header)`), through string methods or directly.
 */
function templateFilterInput(part: SgNode): boolean {
  const fn = enclosingFunction(part);
  const decorated = fn?.parent()?.kind() === 'decorated_definition' ? (fn.parent()?.text() ?? '') : '';
  if (!fn || !TEMPLATE_FILTER.test(decorated) || ESCAPED_ON_THE_WAY.test(part.text())) return false;
  const names = parametersOf(fn)
    .map((parameter) =>
      parameter.kind() === 'identifier' ? parameter.text() : (parameter.field('name')?.text() ?? ''),
    )
    .filter((name) => name !== '' && name !== 'self');
  return names.some((name) => new RegExp(`(?<![\\w.])${name}(?![\\w])`).test(part.text()));
}

/** `parts.join('')`: the array an HTML builder joins, by its name. */
const JOINED_ARRAY = /^([A-Za-z_$][\w$]*)\.join$/;

/**
 * Whether `part` is (or wraps, as `processSpaces(html.join(''))` does) the join of a local array
 * that the code fills with `push` calls and escapes pieces of as it pushes them: Etherpad's line
 * renderer pushes `'<span class="', escapeHTMLAttribute(cls), '">', escapeHTML(txt), '</span>'` and
 * sets `innerHTML` to the joined array. The escaping is at the pushes, which the string builder
 * does not see. Only an array whose every pushed piece is escaped, written out or named as markup
 * counts: one that also pushes a user's field as it is (`post.body`) is judged as before.
 */
function joinsEscapingBuilder(part: SgNode): boolean {
  const expr = unwrap(part);
  const joins = [expr, ...expr.findAll({ rule: { kind: 'call_expression' } })].filter(
    (call) => call.kind() === 'call_expression' && JOINED_ARRAY.test(calleeText(call)),
  );
  return (
    joins.length > 0 &&
    joins.every((join) => {
      const name = JOINED_ARRAY.exec(calleeText(join))?.[1] ?? '';
      const values = assignedValues(name, join, false);
      const array = values.find((value) => unwrap(value).kind() === 'array');
      if (!array) return false;
      const scope = enclosingFunction(array) ?? array.getRoot().root();
      const pushes = scope.findAll({
        rule: {
          kind: 'call_expression',
          has: { field: 'function', regex: `^${escapeRegExp(name)}\\.push$` },
        },
      });
      const args = pushes.flatMap((push) => callArguments(push).map((arg) => unwrap(arg)));
      return args.some(escapedPiece) && args.every((arg) => escapedPiece(arg) || writtenPiece(arg));
    })
  );
}

/** A piece pushed through an escaper: `Security.escapeHTML(txt)`. */
function escapedPiece(value: SgNode): boolean {
  return value.kind() === 'call_expression' && SANITIZER.test(calleeText(value));
}

/** Names that say the value is markup already (Etherpad's `extraOpenTags`, `rowHtml`). */
const MARKUP_PIECE = /(?:html|tags?|markup)$/i;

/**
 * A piece pushed as written markup: a literal, a template whose every substitution is escaped, or a
 * value named as markup. A user's field pushed as it is (`post.body`) is none of these.
 */
function writtenPiece(value: SgNode): boolean {
  const kind = kindOf(value);
  if (kind === 'string' || kind === 'number') return true;
  if (kind === 'template_string')
    return value
      .children()
      .filter((child) => child.kind() === 'template_substitution')
      .every((sub) =>
        sub
          .children()
          .filter((n) => n.isNamed())
          .every((n) => escapedPiece(unwrap(n))),
      );
  return (kind === 'identifier' || kind === 'member_expression') && MARKUP_PIECE.test(value.text());
}

/**
 * How risky it is to insert `value` as HTML; undefined when it is constant, numeric or sanitised.
 * `plainUnknown` rates a value of unknown origin (undefined: not a finding).
 */
function judge(value: SgNode, python: boolean, plainUnknown: Confidence | undefined): Verdict {
  const source = requestFlow(value, python ? { python } : { python, extraSource: BROWSER_SOURCE });
  if (source) return { confidence: 'HIGH', part: source, how: `request data (\`${codeText(source)}\`)` };
  if (isSanitized(value, python)) return undefined;
  // In Python only markup built right in the call counts (`Markup(f"<b>{name}</b>")`): values built
  // elsewhere are mostly assembled from escaped pieces that one function cannot see.
  const built = python && unwrap(value).kind() === 'identifier' ? undefined : builtString(value, python);
  if (built) {
    const risky = built.dynamic.filter(
      (p) =>
        !isSanitized(p, python) &&
        valueSource(p, python) !== 'constant' &&
        !isNumeric(p, python) &&
        !addedToNumber(p, python) &&
        !isTranslation(p) &&
        !BROWSER_FACT.test(p.text()),
    );
    // Cite the piece most likely to carry someone's text: `alt` from imported markup rather than
    // `newSrc`, a local assembled from server values (apostrophe's rich-text image import). A join
    // of an array escaped as it is filled comes last: Etherpad's line renderer escapes its spans,
    // while the list markup it wraps them in (`preHtml`) is the piece to check.
    const builders = new Set(python ? [] : risky.filter(joinsEscapingBuilder).map((part) => part.id()));
    const rank = (part: SgNode) => (builders.has(part.id()) ? -1 : citeRank(part, python));
    const [first] = [...risky].sort((a, b) => rank(b) - rank(a));
    if (!first) return undefined;
    // A Django template filter's argument is whatever the template hands it, a header or a field
    // a user wrote: Django REST framework's `break_long_headers` joined it into `mark_safe()`
    // unescaped (CVE-2024-21520).
    const filterInput = python ? risky.find((part) => templateFilterInput(part)) : undefined;
    if (filterInput)
      return {
        confidence: 'MED',
        part: filterInput,
        how: `markup built from \`${codeText(filterInput)}\`, the value a template passes to this filter, unescaped`,
      };
    // Python markup joined from rendered pieces (`mark_safe(str(form) + forms)`,
    // `' '.join(classes)`) is how Django and Jinja code assemble HTML escaped elsewhere: a lead.
    const assembled = python && risky.every(isRenderedPiece);
    const builder = !python && risky.every((part) => builders.has(part.id()));
    return {
      confidence: assembled || builder ? 'LOW' : 'MED',
      part: first,
      how: assembled
        ? `markup joined from \`${codeText(first)}\`, a piece rendered or escaped elsewhere (check that it is)`
        : builder
          ? `markup joined from \`${codeText(first)}\`, an array whose pieces are escaped as they are pushed (check that every piece is)`
          : `markup built with \`${codeText(first)}\` interpolated unescaped`,
    };
  }
  if (
    valueSource(value, python) === 'constant' ||
    isModuleConstant(value, python) ||
    isNumeric(value, python)
  )
    return undefined;
  if (plainUnknown === undefined) return undefined;
  const text = unwrap(value).text();
  if (LOW_RISK.test(text)) return { confidence: 'LOW', part: value, how: `\`${codeText(value)}\`` };
  if (python) return undefined;
  return {
    confidence: plainUnknown,
    part: value,
    how: `\`${codeText(value)}\`, a value this code does not escape`,
  };
}

interface Sink {
  value: SgNode;
  sink: string;
  plain?: Confidence | undefined;
  /** jQuery's `$(x)`: a string is parsed as HTML only when it starts with `<`. */
  selector?: boolean;
  /** The content of a `<style>` element: CSS, dangerous only if it can close the element. */
  style?: boolean;
}

function sinkOf(node: SgNode, python: boolean): Sink | undefined {
  const kind = kindOf(node);
  if (kind === 'assignment_expression' || kind === 'augmented_assignment_expression') {
    const property = node.field('left')?.field('property')?.text() ?? '';
    const value = node.field('right');
    return value ? { value, sink: property, plain: 'LOW' } : undefined;
  }
  if (kind === 'jsx_attribute') {
    const pair = node.find({ rule: { kind: 'pair', has: { field: 'key', regex: '^__html$' } } });
    const value = pair?.field('value');
    const style = node.parent()?.field('name')?.text() === 'style';
    return value ? { value, sink: 'dangerouslySetInnerHTML', plain: 'MED', style } : undefined;
  }
  const callee = calleeText(node);
  const args = callArguments(node);
  const method = /(\w+)$/.exec(callee)?.[1] ?? '';
  if (python) return args[0] ? { value: args[0], sink: `${callee}()`, plain: 'LOW' } : undefined;
  if (method === 'insertAdjacentHTML')
    return args[1] ? { value: args[1], sink: method, plain: 'LOW' } : undefined;
  if (/^document\.(?:write|writeln)$/.test(callee) || method === 'createContextualFragment') {
    return args[0] ? { value: args[0], sink: `${callee}()`, plain: 'LOW' } : undefined;
  }
  if (/^bypassSecurityTrust/.test(method))
    return args[0] ? { value: args[0], sink: method, plain: 'MED' } : undefined;
  return jquerySink(node);
}

/**
 * `$(x)`: markup built from data is MED, from the request HIGH; a selector is not HTML. A selector
 * from the URL (`$(location.hash)`, `$('a[href="' + location.hash + '"]')`) is parsed as HTML only
 * by jQuery before 1.9 (before 1.6.3 for a hash), so it is a LOW lead: check the jQuery version.
 */
function judgeSelector(value: SgNode): Verdict {
  const built = builtString(value, false);
  const markup = built !== undefined && /^\s*</.test(built.literal);
  const source = requestFlow(value, { python: false, extraSource: BROWSER_SOURCE });
  if (source)
    return {
      confidence: markup ? 'HIGH' : 'LOW',
      part: source,
      how: markup
        ? `request data (\`${codeText(source)}\`)`
        : `a selector built from request data (\`${codeText(source)}\`), which jQuery before 1.9 may parse as HTML,`,
    };
  return markup ? judge(value, false, undefined) : undefined;
}

/** Prop names that say the prop is markup: `html`, `descriptionHtml`, `markup`. */
const MARKUP_PROP = /^(?:html|[a-z]\w*Html|markup|[a-z]\w*Markup)$/;

/** Whether `pattern` is `{ …, name, … }` (a parameter, possibly typed, or a declarator's name). */
function destructures(pattern: SgNode | null | undefined, name: string): boolean {
  const object = pattern?.kind() === 'object_pattern' ? pattern : pattern?.field('pattern');
  if (object?.kind() !== 'object_pattern') return false;
  return object
    .children()
    .some((child) => child.kind() === 'shorthand_property_identifier_pattern' && child.text() === name);
}

/**
 * A React component's markup prop given to `dangerouslySetInnerHTML`: `props.html`,
 * `this.props.html`, or `html` destructured from the props (keystone's `FormNote({ html, ...props })`,
 * `const { html } = this.props`). The component takes markup from its callers by contract, so what
 * they pass is the question. Returns the prop's name.
 */
function markupProp(value: SgNode): string | undefined {
  const expr = unwrap(value);
  const member = /^(?:this\.)?props\.(\w+)$/.exec(expr.text());
  if (member) return MARKUP_PROP.test(member[1] ?? '') ? member[1] : undefined;
  const name = expr.text();
  if (expr.kind() !== 'identifier' || !MARKUP_PROP.test(name)) return undefined;
  const fn = enclosingFunction(expr);
  if (!fn) return undefined;
  if (parametersOf(fn).some((parameter) => destructures(parameter, name))) return name;
  const fromProps = fn.findAll({
    rule: { kind: 'variable_declarator', has: { field: 'value', regex: '^(?:this\\.)?props$' } },
  });
  return fromProps.some((declarator) => destructures(declarator.field('name'), name)) ? name : undefined;
}

function matchHtml(node: SgNode, file: FileInput, context: RepoContext): RawFinding | undefined {
  if (node.kind() === 'pair') return vueTemplateFinding(node, file);
  const python = isPython(file.language);
  const sink = sinkOf(node, python);
  if (!sink) return undefined;
  const verdict = sink.selector ? judgeSelector(sink.value) : judge(sink.value, python, sink.plain);
  if (!verdict) return undefined;
  // `<style dangerouslySetInnerHTML={{ __html: `:root {--brand-color: ${theme.brandColor}}` }} />`
  // (Auth.js pages): CSS from the app's configuration is a LOW lead unless the request feeds it.
  if (sink.style && verdict.confidence !== 'HIGH') {
    return findingAt(file, node, {
      confidence: 'LOW',
      message: `\`${sink.sink}\` writes ${verdict.how} into a \`<style>\` element. As CSS it cannot run script, but a value containing \`</style>\` closes the element and whatever follows is HTML: check that it only ever comes from configuration.`,
      endLine: node.range().start.line + 1,
    });
  }
  const message = `\`${sink.sink}\` inserts ${verdict.how} as HTML. Any \`<script>\`, \`<img onerror=…>\` or \`javascript:\` URL inside it runs in the page with the user’s session (cross-site scripting).`;
  if (verdict.confidence === 'HIGH') return sinkFinding(file, node, verdict.part, 'request', message);
  // `dangerouslySetInnerHTML={{ __html: coloredSwatch }}` with the SVG a sibling module exports.
  if (verdict.part === sink.value && importedConstantMarkup(unwrap(sink.value), file, context))
    return undefined;
  const prop =
    sink.sink === 'dangerouslySetInnerHTML' && verdict.part === sink.value
      ? markupProp(sink.value)
      : undefined;
  if (prop !== undefined) {
    return findingAt(file, node, {
      confidence: 'LOW',
      message: `\`${sink.sink}\` renders the component's \`${prop}\` prop as HTML: the component takes markup from its callers by contract. Check what each caller passes: markup built from user data there runs in the page with the user’s session (cross-site scripting).`,
      endLine: node.range().start.line + 1,
    });
  }
  // Docusaurus: `// Developer provided the HTML, so assume it's safe.` and
  // `// eslint-disable-next-line react/no-danger` above the sink. Someone looked and decided; the
  // value is not request data (that stays HIGH above), so it is a lead to re-check, not a finding.
  const reviewed = reviewedSink(file, node);
  return findingAt(file, node, {
    confidence: reviewed ? 'LOW' : verdict.confidence,
    message: reviewed
      ? `${message} A comment here says the HTML was reviewed (${reviewed}); check that its source is still only the developer’s.`
      : message,
    endLine: node.range().start.line + 1,
  });
}

/** A lint rule against HTML sinks turned off here, or a comment saying why the HTML is safe. */
const REVIEW_NOTE =
  /eslint-disable(?:-next)?-line\b[^\n]*\b(?:react\/no-danger|no-unsanitized\/\w+)|(?:\/\/|\/\*|\{\s*\/\*)[^\n]*\b(?<!\bnot\s|n't\s)(?:safe|trusted|saniti[sz]ed|escaped)\b/i;

/** What says a sink was reviewed, from its own line and the three above. */
function reviewedSink(file: FileInput, node: SgNode): string | undefined {
  const line = node.range().start.line;
  for (let at = line; at >= Math.max(0, line - 3); at -= 1) {
    const text = file.lines[at] ?? '';
    const match = REVIEW_NOTE.exec(text);
    if (match)
      return /eslint/.test(match[0]) ? 'a lint rule against it is turned off' : 'a comment calls it safe';
  }
  return undefined;
}

const DOM_SINKS: NapiConfig['rule'][] = [
  {
    any: [{ kind: 'assignment_expression' }, { kind: 'augmented_assignment_expression' }],
    has: {
      field: 'left',
      kind: 'member_expression',
      has: { field: 'property', regex: '^(innerHTML|outerHTML)$' },
    },
  },
  {
    kind: 'call_expression',
    has: {
      field: 'function',
      regex:
        '(^document\\.(write|writeln)$)|(\\.(insertAdjacentHTML|createContextualFragment|bypassSecurityTrust(Html|Script|Style|Url|ResourceUrl))$)',
    },
  },
];
const JSX_SINK: NapiConfig['rule'] = {
  kind: 'jsx_attribute',
  has: { kind: 'property_identifier', regex: '^dangerouslySetInnerHTML$' },
};
/** Plain TypeScript has no JSX in its grammar; JavaScript and TSX do. */
const BROWSER_SINKS: NapiConfig['rule'][] = [...DOM_SINKS, JQUERY_RULE, VUE_TEMPLATE_RULE];
const TS_RULE: NapiConfig = { rule: { any: BROWSER_SINKS } };
const JSX_RULE: NapiConfig = { rule: { any: [...BROWSER_SINKS, JSX_SINK] } };

/**
 * Non-constant, unsanitised text inserted as HTML: DOM sinks, React, Angular bypasses, jQuery,
 * Vue `v-html` in component template strings, Markup/mark_safe.
 */
export const htmlInjection: FileDetector = {
  id: 'security/html-injection',
  category: 'security',
  scope: 'file',
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'Unescaped text inserted as HTML (cross-site scripting)',
  description:
    'A value that is not a constant is inserted into the page as HTML (`innerHTML`, `dangerouslySetInnerHTML`, `document.write`, Angular `bypassSecurityTrust…`, jQuery `.html()`/`.append()`/`$(markup)`, Vue `v-html`, Python `Markup()`/`mark_safe()`), bypassing the escaping the framework would otherwise apply. If any part of it can come from a user, script in it runs with the victim’s session.',
  impact: 'HIGH',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'Rendering the value as text (or sanitising it) changes only how markup inside the value is shown; plain text renders the same.',
  confidence: 'MED',
  fixSketch:
    'Insert text, not HTML (`textContent`, JSX `{value}`, template auto-escaping). Where markup is really needed, pass it through a sanitiser first (`DOMPurify.sanitize(html)`, `bleach.clean`), or build it with escaping helpers (`markupsafe.escape`, Django `format_html`).',
  steps: [
    'Open the cited line and find where the inserted value comes from (follow it back through local variables and props). If every part of it is escaped where it is built or is markup written in the code itself (literal tags, a plugin hook’s return value), with no text from users, requests or stored data left unescaped, STOP and report where each part comes from: the finding is a false positive.',
    'If the value is plain text, switch to a text sink: `el.textContent = value`, JSX `{value}`, or let the template escape it (drop `Markup`/`mark_safe`/`|safe`).',
    'If it must stay HTML (rich text, rendered markdown), sanitise it right before insertion with the project’s sanitiser or `DOMPurify.sanitize` (JS) / `bleach.clean` (Python), and keep the sanitised value in a variable named for it.',
    'Add a test that renders the component or view with a value containing `<img src=x onerror=alert(1)>` and asserts the output contains no `onerror` attribute (escaped or removed).',
  ],
  python: {
    fixSketch:
      'Let the template escape the value (drop `Markup(...)`, `mark_safe(...)`, `|safe`), or build the markup with escaping helpers (`markupsafe.escape`, Django `format_html`). Where markup is really needed, pass it through a sanitiser first (`bleach.clean`, `nh3.clean`).',
    steps: [
      'Open the cited line and find where the inserted value comes from (follow it back through local variables and view arguments). If every part of it is escaped where it is built or is markup written in the code itself (literal tags, a plugin hook’s return value), with no text from users, requests or stored data left unescaped, STOP and report where each part comes from: the finding is a false positive.',
      'If the value is plain text, let the template escape it: drop `Markup(...)`, `mark_safe(...)` or `|safe`, or build the markup with `markupsafe.escape(value)` or Django’s `format_html("<b>{}</b>", value)`.',
      'If it must stay HTML (rich text, rendered markdown), sanitise it right before it is marked safe, with the project’s sanitiser or `bleach.clean` / `nh3.clean`, and keep the sanitised value in a variable named for it.',
      'Add a test that renders the view or template with a value containing `<img src=x onerror=alert(1)>` and asserts the output contains no `onerror` attribute (escaped or removed).',
    ],
  },
  rule: {
    typescript: TS_RULE,
    tsx: JSX_RULE,
    javascript: JSX_RULE,
    python: {
      rule: {
        kind: 'call',
        has: {
          field: 'function',
          regex: '^((markupsafe|jinja2|flask)\\.)?Markup$|(^|\\.)(mark_safe|SafeString|SafeText)$',
        },
      },
    },
  },
  requires: {
    ...jsGate(
      /innerHTML|outerHTML|dangerouslySetInnerHTML|document\.write|insertAdjacentHTML|createContextualFragment|bypassSecurityTrust|\.(?:html|append|prepend|after|before|replaceWith)\b|\$\s*\(|jQuery\s*\(|v-html/,
    ),
    python: /Markup|mark_safe|SafeString|SafeText/,
  },
  match: matchHtml,
};
