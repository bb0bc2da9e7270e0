import type { NapiConfig, SgNode } from '@ast-grep/napi';
import type { Confidence } from '../../core/types.ts';
import { lineGoneCheck } from '../correctness/finding-at.ts';
import type { FileInput, RawFinding } from '../types.ts';
import { judgeRawHtml, lineAt, vueBindings } from './raw-html-binding.ts';

/** `template: '<div v-html="x">'` in a Vue component's options object. */
export const VUE_TEMPLATE_RULE: NapiConfig['rule'] = {
  kind: 'pair',
  all: [
    { has: { field: 'key', regex: '^[\'"]?template[\'"]?$' } },
    { has: { field: 'value', regex: 'v-html' } },
  ],
};

const RANK: Record<Confidence, number> = { LOW: 0, MED: 1, HIGH: 2 };

/** The riskiest `v-html` binding in a component's template string, as a finding. */
export function vueTemplateFinding(pair: SgNode, file: FileInput): RawFinding | undefined {
  const value = pair.field('value');
  if (!value || (value.kind() !== 'string' && value.kind() !== 'template_string')) return undefined;
  const text = value.text();
  const firstLine = value.range().start.line + 1;
  let worst: { confidence: Confidence; how: string; line: number; expression: string } | undefined;
  for (const binding of vueBindings(text)) {
    const verdict = judgeRawHtml(binding.expression);
    if (!verdict || (worst && RANK[verdict.confidence] <= RANK[worst.confidence])) continue;
    worst = { ...verdict, line: lineAt(text, binding.offset, firstLine), expression: binding.expression };
  }
  if (!worst) return undefined;
  const finding: RawFinding = {
    file: file.path,
    startLine: worst.line,
    endLine: worst.line,
    confidence: worst.confidence,
    message: `The component template binds ${worst.how} with \`v-html\`, which inserts it as HTML without Vue's escaping. Any \`<img onerror=…>\` or \`<script>\` inside it runs in the page with the user’s session (cross-site scripting).`,
  };
  const check = lineGoneCheck(file, worst.line);
  if (check) finding.doneCheck = check;
  return finding;
}
