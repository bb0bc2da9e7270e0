import { redactText } from '../../core/redact.ts';
import type { AdvisoryOutcome, VulnerableDependency } from './npm-audit.ts';
import { isRecord } from './package-manifests.ts';
import { runTool } from './run-tool.ts';

const TIMEOUT_MS = 20_000;

/**
 * Whether every requirement in a requirements file is pinned (`name==1.2.3`): then pip-audit can
 * check it with `--no-deps --disable-pip`, without resolving or installing anything.
 */
export function isPinnedRequirements(text: string): boolean {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  return (
    lines.length > 0 &&
    lines.every((line) =>
      /^[A-Za-z0-9][\w.-]*(?:\[[\w,.-]+\])?==[\w.!+-]+(?:\s*;.*)?(?:\s+--hash=\S+)*$/.test(line),
    )
  );
}

/** The dependencies with advisories in a `pip-audit --format json` report (a bare list in old versions). */
export function parsePipAudit(report: unknown): VulnerableDependency[] | undefined {
  const list = Array.isArray(report) ? report : isRecord(report) ? report.dependencies : undefined;
  if (!Array.isArray(list)) return undefined;
  const out: VulnerableDependency[] = [];
  for (const dependency of list) {
    if (!isRecord(dependency) || typeof dependency.name !== 'string' || !Array.isArray(dependency.vulns))
      continue;
    const vulns = dependency.vulns.filter(isRecord);
    if (vulns.length === 0) continue;
    const fixes = vulns
      .flatMap((v) => (Array.isArray(v.fix_versions) ? v.fix_versions : []))
      .filter((f) => typeof f === 'string');
    const version = typeof dependency.version === 'string' ? dependency.version : '';
    out.push({
      name: dependency.name,
      version,
      severity: undefined,
      advisories: vulns.map((v) => {
        const id = typeof v.id === 'string' ? v.id : 'advisory';
        const aliases = Array.isArray(v.aliases) ? v.aliases.filter((a) => typeof a === 'string') : [];
        return {
          title: [id, ...aliases].join(' / '),
          packageName: String(dependency.name),
          severity: undefined,
        };
      }),
      fix: fixes.length > 0 ? { kind: 'upgrade', version: highest(fixes), major: false } : { kind: 'none' },
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** The highest of dotted version strings (every advisory is fixed from it on). */
function highest(versions: readonly string[]): string {
  const parts = (v: string) => v.split(/[.+-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : 0));
  return (
    [...versions].sort((a, b) => {
      const [x, y] = [parts(a), parts(b)];
      for (let i = 0; i < Math.max(x.length, y.length); i += 1)
        if ((x[i] ?? 0) !== (y[i] ?? 0)) return (y[i] ?? 0) - (x[i] ?? 0);
      return 0;
    })[0] ?? ''
  );
}

/** `pip-audit -r FILE --no-deps --disable-pip`: checks pinned versions only, installs nothing. */
export function pipAudit(root: string, requirements: string, env: NodeJS.ProcessEnv): AdvisoryOutcome {
  const args = [
    '-r',
    requirements,
    '--no-deps',
    '--disable-pip',
    '--format',
    'json',
    '--progress-spinner',
    'off',
    '--timeout',
    '15',
  ];
  const run = runTool('pip-audit', args, { cwd: root, env, timeoutMs: TIMEOUT_MS });
  const skipped = (why: string, transient = true): AdvisoryOutcome => ({
    kind: 'skipped',
    note: `dependency advisories (${requirements}): pip-audit ${why}`,
    transient,
  });
  if (run.kind === 'missing')
    return skipped('is not installed (`pipx install pip-audit` to check Python dependencies)', false);
  if (run.kind === 'timeout')
    return skipped(`gave no answer within ${run.seconds} s; run it yourself when online`);
  if (run.kind === 'failed') return skipped(`failed (${redactText(run.message)})`);
  let report: unknown;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    report = undefined;
  }
  const dependencies = run.code <= 1 ? parsePipAudit(report) : undefined;
  if (!dependencies) {
    const reason = run.stderr.trim().split('\n').at(-1) ?? `exit code ${run.code}`;
    return skipped(
      `could not get advisories (${redactText(reason.replace(/\b\w+:\/\/\S+/g, '<index>')).slice(0, 200)}); run it yourself when online`,
    );
  }
  return { kind: 'audited', tool: 'pip-audit', dependencies };
}
