import type { NapiConfig, SgRoot } from '@ast-grep/napi';
import type { AuditLevel, Category, FileRole, Finding, Language, RepoProfile } from '../core/types.ts';
import type {
  Detector,
  FileDetector,
  FileInput,
  RawFinding,
  RepoContext,
  RepoDetector,
} from '../detectors/types.ts';
import { buildFinding } from './build-finding.ts';
import { parseSource } from './parse.ts';
import { RepoReader } from './repo-reader.ts';

export interface DetectorRunOptions {
  level: AuditLevel;
  /** Only these categories; empty means all. */
  focus: readonly Category[];
  /** Only these repo-relative files (branch scope); undefined means every file recon listed. */
  files?: ReadonlySet<string>;
  /** Called after each file, for progress on long runs. */
  onFile?: (done: number, total: number) => void;
}

export interface DetectorRunResult {
  findings: Finding[];
  /** Detectors that failed, with the error; the run goes on without them. */
  errors: { detector: string; file?: string; message: string }[];
  detectorsRun: string[];
  filesAudited: number;
}

const DEFAULT_ROLES: readonly FileRole[] = ['source', 'test', 'example', 'fixture'];
const DEFAULT_TARGET_ROLES: readonly FileRole[] = ['source'];

export function selectDetectors(
  detectors: readonly Detector[],
  options: Pick<DetectorRunOptions, 'level' | 'focus'>,
  profile?: Pick<RepoProfile, 'publishedPackage'>,
): Detector[] {
  return detectors.filter(
    (detector) =>
      (options.focus.length === 0 || options.focus.includes(detector.category)) &&
      (options.level !== 'quick' || detector.quick !== false) &&
      !(profile?.publishedPackage && detector.repoHygiene),
  );
}

function isSingleRule(rule: NonNullable<FileDetector['rule']>): rule is NapiConfig {
  return 'rule' in rule;
}

function ruleFor(detector: FileDetector, language: Language): NapiConfig | undefined {
  const rule = detector.rule;
  if (!rule) return undefined;
  return isSingleRule(rule) ? rule : rule[language];
}

function runFileDetector(detector: FileDetector, input: FileInput, context: RepoContext): RawFinding[] {
  const out: RawFinding[] = [];
  if (input.language && detector.rule) {
    const rule = ruleFor(detector, input.language);
    const root = rule ? input.ast() : undefined;
    if (rule && root) {
      for (const node of root.root().findAll(rule)) {
        if (detector.match) {
          const refined = detector.match(node, input, context);
          if (refined) out.push(refined);
        } else {
          const range = node.range();
          out.push({ file: input.path, startLine: range.start.line + 1, endLine: range.end.line + 1 });
        }
      }
    }
  }
  if (detector.check) out.push(...detector.check(input, context));
  return out;
}

/** Run the selected detectors over the profile's files, then the repo-level ones. */
export function runDetectors(
  profile: RepoProfile,
  detectors: readonly Detector[],
  options: DetectorRunOptions,
  reader = new RepoReader(profile.root),
): DetectorRunResult {
  const selected = selectDetectors(detectors, options, profile);
  const fileDetectors = selected.filter((d): d is FileDetector => d.scope === 'file');
  const repoDetectors = selected.filter((d): d is RepoDetector => d.scope === 'repo');
  const context: RepoContext = { profile, read: (file) => reader.read(file) };
  const occurrences = new Map<string, number>();
  const findings: Finding[] = [];
  const errors: DetectorRunResult['errors'] = [];
  const lines = (file: string) => reader.lines(file);

  const files = profile.files.filter(
    (file) => file.language !== undefined && (!options.files || options.files.has(file.path)),
  );
  let done = 0;
  for (const file of files) {
    const language = file.language as Language;
    const applicable = fileDetectors.filter(
      (d) => d.languages.includes(language) && (d.roles ?? DEFAULT_ROLES).includes(file.role),
    );
    const text = applicable.length > 0 ? reader.read(file.path) : undefined;
    if (text !== undefined) {
      let tree: SgRoot | undefined | null = null;
      const input: FileInput = {
        path: file.path,
        language,
        role: file.role,
        text,
        lines: text.split(/\r?\n/),
        ast: () => {
          if (tree === null) tree = parseSource(language, text);
          return tree;
        },
      };
      for (const detector of applicable) {
        const downgrade = !(detector.targetRoles ?? DEFAULT_TARGET_ROLES).includes(file.role);
        try {
          for (const raw of runFileDetector(detector, input, context)) {
            const finding = buildFinding(detector, raw, lines, occurrences, file.role, downgrade);
            if (finding) findings.push(finding);
          }
        } catch (error) {
          errors.push({ detector: detector.id, file: file.path, message: String(error) });
        }
      }
      reader.release(file.path);
    }
    done += 1;
    options.onFile?.(done, files.length);
  }

  const roles = new Map(profile.files.map((f) => [f.path, f.role]));
  for (const detector of repoDetectors) {
    try {
      for (const raw of detector.check(context)) {
        const role = raw.file ? roles.get(raw.file) : undefined;
        const finding = buildFinding(detector, raw, lines, occurrences, role, false);
        if (finding) findings.push(finding);
      }
    } catch (error) {
      errors.push({ detector: detector.id, message: String(error) });
    }
  }

  return { findings, errors, detectorsRun: selected.map((d) => d.id), filesAudited: files.length };
}
