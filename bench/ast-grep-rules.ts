import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { NapiConfig } from '@ast-grep/napi';
import { stringify } from 'yaml';
import type { Language } from '../src/core/types.ts';
import type { FileDetector } from '../src/detectors/types.ts';

const CLI_LANGUAGE: Record<Language, string> = {
  typescript: 'TypeScript',
  tsx: 'Tsx',
  javascript: 'JavaScript',
  python: 'Python',
};

/** A rule the CLI can read as YAML: only rule-language keys, nothing JavaScript-specific. */
function isPlain(config: NapiConfig): boolean {
  return Object.keys(config).every((key) => ['rule', 'constraints', 'utils', 'language'].includes(key));
}

function ruleOf(detector: FileDetector, language: Language): NapiConfig | undefined {
  const rule = detector.rule;
  if (!rule) return undefined;
  return 'rule' in rule ? (rule as NapiConfig) : rule[language];
}

export interface GeneratedRules {
  /** The sgconfig.yml to pass with `-c`. */
  config: string;
  /** Pattern rules improve runs (one per detector and language). */
  count: number;
  /** How many of them were copied from improve's rules; the rest are simple stand-ins. */
  copied: number;
}

/**
 * Write an ast-grep project (sgconfig.yml + rules/) with one rule per improve pattern rule
 * (detector × language): improve's own rule where it is plain YAML, otherwise a simple rule of the
 * same kind so that the count matches.
 */
export function writeAstGrepRules(dir: string, detectors: readonly FileDetector[]): GeneratedRules {
  const rulesDir = path.join(dir, 'rules');
  mkdirSync(rulesDir, { recursive: true });
  let count = 0;
  let copied = 0;
  for (const detector of detectors) {
    for (const language of detector.languages) {
      const rule = ruleOf(detector, language);
      if (!rule) continue;
      count += 1;
      const id = `${detector.id.replace(/[^a-z0-9]+/gi, '-')}-${language}`;
      const body = isPlain(rule)
        ? { rule: rule.rule, ...(rule.constraints ? { constraints: rule.constraints } : {}) }
        : { rule: { kind: 'identifier', regex: `^improve_pad_${count}$` } };
      if (isPlain(rule)) copied += 1;
      const document = {
        id,
        language: CLI_LANGUAGE[language],
        severity: 'info',
        message: detector.title,
        ...body,
      };
      writeFileSync(path.join(rulesDir, `${id}.yml`), stringify(document));
    }
  }
  const config = path.join(dir, 'sgconfig.yml');
  writeFileSync(config, 'ruleDirs:\n  - rules\n');
  return { config, count, copied };
}
