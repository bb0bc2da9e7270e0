import { toml as smolToml } from '../../core/toml.ts';
import type { FileRole } from '../../core/types.ts';
import { baseName, findLine, splitLines } from '../dx/find-line.ts';
import { shellQuote } from '../dx/shell-quote.ts';
import type { RawFinding, RepoContext, RepoDetector } from '../types.ts';
import { isRecord, keyLine, packageManifests } from './package-manifests.ts';

/**
 * End-of-life table, as of 2026-11 (fixed, so audits are deterministic). Node 18 ended 2025-04-30,
 * Node 20 ended 2026-04-30; odd majors end after six months. Python 3.9 ended 2025-10, 3.10 2026-10.
 */
const NODE_OLDEST_SUPPORTED = 22;
const PYTHON_OLDEST_SUPPORTED = 11;
/** Declaring support for Python older than this is reported (lower bound), at low impact. */
const PYTHON_LOWER_BOUND_FLOOR = 10;
const UNBOUNDED = Number.POSITIVE_INFINITY;

const SKIPPED_ROLES: ReadonlySet<FileRole> = new Set(['fixture', 'example', 'test', 'vendored', 'generated']);

function major(version: string): number | undefined {
  const match = /^v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?(?:-[\w.]+)?$/i.exec(version);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Highest Node major a semver comparator set allows; undefined when it cannot be parsed. */
function comparatorMax(token: string): number | undefined {
  if (token === '*' || token === 'x' || token === 'X' || token === '' || /^(latest|lts|node)$/i.test(token)) {
    return UNBOUNDED;
  }
  const match = /^(>=|<=|>|<|=|\^|~)?\s*(v?[\d.xX*]+(?:-[\w.]+)?)$/.exec(token);
  if (!match) return undefined;
  const operator = match[1] ?? '';
  const version = match[2] ?? '';
  const value = major(version);
  if (value === undefined) return undefined;
  if (operator === '>=' || operator === '>') return UNBOUNDED;
  if (operator === '<') return /^v?\d+(\.0)*$/.test(version) ? value - 1 : value;
  return value;
}

/** Highest Node major an `engines.node` range allows (Infinity when unbounded); undefined when unparseable. */
export function nodeRangeMax(range: string): number | undefined {
  let best = Number.NEGATIVE_INFINITY;
  for (const alternative of range.split('||')) {
    const trimmed = alternative.trim();
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(trimmed);
    let upper: number | undefined;
    if (hyphen?.[2]) {
      upper = major(hyphen[2]);
    } else {
      upper = UNBOUNDED;
      const tokens = trimmed.replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').split(/\s+/);
      for (const token of tokens) {
        const max = comparatorMax(token);
        if (max === undefined) return undefined;
        upper = Math.min(upper, max);
      }
    }
    if (upper === undefined) return undefined;
    best = Math.max(best, upper);
  }
  return Number.isFinite(best) || best === UNBOUNDED ? best : undefined;
}

interface PythonBounds {
  /** Lowest 3.x minor allowed, when stated. */
  lower?: number;
  /** Highest 3.x minor allowed (Infinity when open). */
  upper: number;
}

/** Bounds of a Python version specifier (`>=3.8,<3.11`, `~=3.9`, `==3.9.*`, `^3.8`); undefined when unparseable. */
export function pythonBounds(spec: string): PythonBounds | undefined {
  const bounds: PythonBounds = { upper: UNBOUNDED };
  const raise = (minor: number) => {
    bounds.lower = bounds.lower === undefined ? minor : Math.max(bounds.lower, minor);
  };
  for (const part of spec.split(',')) {
    const match = /^\s*(>=|<=|>|<|==|~=|\^|!=)?\s*(\d+)(?:\.(\d+|\*))?(?:\.(\d+|\*))?\s*$/.exec(part);
    if (!match) return undefined;
    const operator = match[1] ?? '==';
    const majorPart = Number(match[2]);
    const minorText = match[3];
    const minor = minorText === undefined || minorText === '*' ? undefined : Number(minorText);
    if (majorPart !== 3) {
      if (majorPart > 3 && (operator === '<' || operator === '<=')) continue; // <4 leaves 3.x open
      if (majorPart < 3 && (operator === '>=' || operator === '>')) continue;
      return undefined;
    }
    switch (operator) {
      case '>=':
      case '>':
        if (minor !== undefined) raise(minor);
        break;
      case '<':
        if (minor !== undefined)
          bounds.upper = Math.min(bounds.upper, match[4] && match[4] !== '0' ? minor : minor - 1);
        break;
      case '<=':
        if (minor !== undefined) bounds.upper = Math.min(bounds.upper, minor);
        break;
      case '==':
        if (minor !== undefined) {
          raise(minor);
          bounds.upper = Math.min(bounds.upper, minor);
        }
        break;
      case '~=':
      case '^':
        if (minor !== undefined) raise(minor);
        if (operator === '~=' && match[4] !== undefined && minor !== undefined) {
          bounds.upper = Math.min(bounds.upper, minor);
        }
        break;
      default:
        break; // != excludes one version; bounds unchanged
    }
  }
  return bounds;
}

function lineCheck(file: string, line: string): string {
  return `! grep -qF -- ${shellQuote(line.trim())} ${shellQuote(file)}`;
}

function pythonSpecs(context: RepoContext): { file: string; line: number; spec: string; text: string }[] {
  const out: { file: string; line: number; spec: string; text: string }[] = [];
  for (const file of context.profile.files) {
    if (SKIPPED_ROLES.has(file.role)) continue;
    const name = baseName(file.path);
    if (name !== 'pyproject.toml' && name !== 'setup.py' && name !== 'setup.cfg') continue;
    const text = context.read(file.path);
    if (text === undefined) continue;
    const lines = splitLines(text);
    let spec: string | undefined;
    let line: number | undefined;
    if (name === 'pyproject.toml') {
      let toml: unknown;
      try {
        toml = smolToml().parse(text);
      } catch {
        continue;
      }
      if (!isRecord(toml)) continue;
      const project = toml.project;
      const tool = toml.tool;
      const poetry = isRecord(tool) && isRecord(tool.poetry) ? tool.poetry : undefined;
      const poetryDeps = poetry && isRecord(poetry.dependencies) ? poetry.dependencies : undefined;
      if (isRecord(project) && typeof project['requires-python'] === 'string') {
        spec = project['requires-python'];
        line = findLine(lines, /^\s*requires-python\s*=/);
      } else if (poetryDeps && typeof poetryDeps.python === 'string') {
        spec = poetryDeps.python;
        line = findLine(lines, /^\s*python\s*=/);
      }
    } else {
      line = findLine(lines, /python_requires\s*[=:]/);
      const raw = line === undefined ? undefined : lines[line - 1];
      spec = raw ? /python_requires\s*[=:]\s*["']?([^"'#\n]+)["']?/.exec(raw)?.[1]?.trim() : undefined;
    }
    if (spec !== undefined && line !== undefined)
      out.push({ file: file.path, line, spec, text: lines[line - 1] ?? '' });
  }
  return out;
}

/** The project requires or pins a runtime version that no longer receives security fixes. */
export const eolRuntime: RepoDetector = {
  id: 'dependencies/eol-runtime',
  category: 'dependencies',
  scope: 'repo',
  title: 'Runtime version past end of life',
  description:
    'The project declares a runtime version that has reached end of life: it gets no security fixes, new releases of dependencies drop support for it, and users are pinned to an unpatched platform.',
  impact: 'MED',
  effort: 'M',
  risk: 'MED',
  riskReason:
    'Moving to a newer runtime can surface removed APIs or changed defaults; the test suite has to run on the new version.',
  confidence: 'HIGH',
  fixSketch:
    'Raise the declared version range to a supported release line, update CI and version files (.nvmrc, .python-version) to match, and fix whatever the newer runtime breaks.',
  steps: [
    'Change the cited version declaration to a supported release line (Node.js 22 or newer; Python 3.11 or newer).',
    'Update every other place that names the old version (CI workflow matrix, .nvmrc/.node-version/.python-version, Dockerfile base image, README) to the same version.',
    'Install the new runtime locally, reinstall dependencies, and run the build and test commands; fix any failure caused by removed or changed APIs.',
    'Run the done check; it must pass.',
  ],
  check(context) {
    const out: RawFinding[] = [];
    for (const manifest of packageManifests(context)) {
      const engines = manifest.json.engines;
      const range = isRecord(engines) && typeof engines.node === 'string' ? engines.node : undefined;
      if (range === undefined) continue;
      const max = nodeRangeMax(range.trim());
      if (max === undefined || max >= NODE_OLDEST_SUPPORTED) continue;
      const enginesLine = keyLine(manifest, 'engines') ?? 0;
      const line = findLine(manifest.lines, /^\s*"node"\s*:/, enginesLine) ?? enginesLine;
      out.push({
        file: manifest.path,
        startLine: line,
        endLine: line,
        title: `engines.node "${range}" allows only end-of-life Node.js`,
        message: `${manifest.path} declares engines.node "${range}", whose newest allowed major is Node.js ${max}, past end of life (Node.js ${NODE_OLDEST_SUPPORTED} is the oldest line still supported). Users and CI are held on a runtime without security fixes.`,
        doneCheck: lineCheck(manifest.path, manifest.lines[line - 1] ?? ''),
      });
    }
    for (const file of context.profile.files) {
      const name = baseName(file.path);
      if (
        (name !== '.nvmrc' && name !== '.node-version' && name !== '.python-version') ||
        SKIPPED_ROLES.has(file.role)
      ) {
        continue;
      }
      const text = context.read(file.path);
      const value = text?.split(/\r?\n/)[0]?.trim() ?? '';
      if (name === '.python-version') {
        const minor = /^(?:python-?)?3\.(\d+)/.exec(value)?.[1];
        if (minor === undefined || Number(minor) >= PYTHON_OLDEST_SUPPORTED) continue;
        out.push({
          file: file.path,
          startLine: 1,
          endLine: 1,
          title: `${file.path} pins end-of-life Python 3.${minor}`,
          message: `${file.path} pins Python 3.${minor}, which no longer receives security fixes (3.${PYTHON_OLDEST_SUPPORTED} is the oldest supported line).`,
          doneCheck: `! grep -qxF -- ${shellQuote(value)} ${shellQuote(file.path)}`,
        });
        continue;
      }
      const max = /^v?\d/.test(value) ? major(value) : undefined;
      if (max === undefined || max >= NODE_OLDEST_SUPPORTED) continue;
      out.push({
        file: file.path,
        startLine: 1,
        endLine: 1,
        title: `${file.path} pins end-of-life Node.js ${max}`,
        message: `${file.path} pins Node.js ${max}, which no longer receives security fixes (Node.js ${NODE_OLDEST_SUPPORTED} is the oldest supported line). Everyone using a version manager develops on it.`,
        doneCheck: `! grep -qxF -- ${shellQuote(value)} ${shellQuote(file.path)}`,
      });
    }
    for (const spec of pythonSpecs(context)) {
      const bounds = pythonBounds(spec.spec.trim());
      if (!bounds) continue;
      if (bounds.upper < PYTHON_OLDEST_SUPPORTED) {
        out.push({
          file: spec.file,
          startLine: spec.line,
          endLine: spec.line,
          title: `Python requirement "${spec.spec}" allows only end-of-life Python`,
          message: `${spec.file} requires Python "${spec.spec}", whose newest allowed version is 3.${bounds.upper}, past end of life (3.${PYTHON_OLDEST_SUPPORTED} is the oldest supported line).`,
          doneCheck: lineCheck(spec.file, spec.text),
        });
      } else if (bounds.lower !== undefined && bounds.lower < PYTHON_LOWER_BOUND_FLOOR) {
        out.push({
          file: spec.file,
          startLine: spec.line,
          endLine: spec.line,
          title: `Python requirement "${spec.spec}" still claims support for end-of-life Python 3.${bounds.lower}`,
          message: `${spec.file} declares support down to Python 3.${bounds.lower}, which is past end of life. Keeping it costs compatibility work and blocks newer language features, and the claim is probably untested.`,
          impact: 'LOW',
          effort: 'S',
          confidence: 'MED',
          doneCheck: lineCheck(spec.file, spec.text),
        });
      }
    }
    return out;
  },
};
