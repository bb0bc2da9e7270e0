import type { Conventions, SourceFile } from '../core/types.ts';
import type { ManifestFacts } from './manifests.ts';
import { recordAt } from './records.ts';
import { testLayout } from './test-pattern.ts';

const ESM_SYNTAX =
  /^\s*(import\s+[\w*{'"]|import\s*\(|export\s+(default|const|function|class|async|let|var|type|interface|\{|\*))/m;
const COMMONJS_SYNTAX = /\brequire\s*\(\s*['"]|\bmodule\.exports\b|^\s*exports\.\w+\s*=/m;
const NODE_TEST = /from\s+['"]node:test['"]|require\(\s*['"]node:test['"]\s*\)/;
const BUN_TEST = /from\s+['"]bun:test['"]/;
const PYTEST = /^\s*(import pytest|from pytest\b)|@pytest\./m;
const UNITTEST = /^\s*(import unittest|from unittest\b)/m;
const JAVASCRIPT_FRAMEWORKS = ['vitest', 'jest', 'mocha', 'ava', 'tap', '@playwright/test', 'jasmine', 'uvu'];

const ESM = 1;
const COMMONJS = 2;
const NODE_TEST_FILE = 4;
const BUN_TEST_FILE = 8;
const PYTEST_FILE = 16;
const UNITTEST_FILE = 32;

/**
 * What a file's text says about the repository's conventions, as bits: a small number recon can
 * remember per file (recon-cache.ts) instead of reading an unchanged file again.
 */
export function conventionBits(file: SourceFile, text: string): number {
  if (file.language === 'python') {
    if (file.role !== 'test') return 0;
    if (PYTEST.test(text)) return PYTEST_FILE;
    return UNITTEST.test(text) ? UNITTEST_FILE : 0;
  }
  if (!file.language) return 0;
  let bits = 0;
  if (file.role === 'source' || file.role === 'test') {
    const esm = /\.mjs$/.test(file.path) || (!/\.cjs$/.test(file.path) && ESM_SYNTAX.test(text));
    const commonjs = /\.cjs$/.test(file.path) || (!esm && COMMONJS_SYNTAX.test(text));
    if (esm) bits |= ESM;
    if (commonjs) bits |= COMMONJS;
  }
  if (file.role === 'test' && NODE_TEST.test(text)) bits |= NODE_TEST_FILE;
  if (file.role === 'test' && BUN_TEST.test(text)) bits |= BUN_TEST_FILE;
  return bits;
}

/** Facts gathered while recon has each file's text in hand, so no file is read twice. */
export class ConventionSignals {
  esmFiles = 0;
  commonjsFiles = 0;
  nodeTestFiles = 0;
  bunTestFiles = 0;
  pytestFiles = 0;
  unittestFiles = 0;

  /** Count one file's `conventionBits`. */
  add(bits: number): void {
    if (bits & ESM) this.esmFiles += 1;
    if (bits & COMMONJS) this.commonjsFiles += 1;
    if (bits & NODE_TEST_FILE) this.nodeTestFiles += 1;
    if (bits & BUN_TEST_FILE) this.bunTestFiles += 1;
    if (bits & PYTEST_FILE) this.pytestFiles += 1;
    if (bits & UNITTEST_FILE) this.unittestFiles += 1;
  }
}

function moduleSystem(facts: ManifestFacts, signals: ConventionSignals): Conventions['moduleSystem'] {
  if (facts.packageJson?.type === 'module') return 'esm';
  const total = signals.esmFiles + signals.commonjsFiles;
  if (total === 0) return undefined;
  if (signals.esmFiles / total >= 0.8) return 'esm';
  if (signals.commonjsFiles / total >= 0.8) return 'commonjs';
  return 'mixed';
}

function javascriptFramework(facts: ManifestFacts, signals: ConventionSignals): string | undefined {
  for (const packageJson of facts.packageJsons) {
    const found = JAVASCRIPT_FRAMEWORKS.find((name) => packageJson.dependencies.has(name));
    if (found) return found;
    if (/\bnode\s+(--[\w-]+\s+)*--test\b/.test(packageJson.scripts.test ?? '')) return 'node:test';
  }
  if (signals.nodeTestFiles > 0) return 'node:test';
  if (signals.bunTestFiles > 0) return 'bun:test';
  return undefined;
}

function pythonFramework(
  facts: ManifestFacts,
  paths: ReadonlySet<string>,
  signals: ConventionSignals,
): string | undefined {
  const configured =
    facts.pythonDependencies.has('pytest') ||
    recordAt(facts.pyproject, 'tool', 'pytest') !== undefined ||
    paths.has('pytest.ini') ||
    paths.has('conftest.py') ||
    [...paths].some((file) => file.endsWith('/conftest.py'));
  if (configured || signals.pytestFiles > 0) return 'pytest';
  return signals.unittestFiles > 0 ? 'unittest' : undefined;
}

/** Module system, test framework, test file pattern and exemplar test. Commit style comes from git. */
export function detectConventions(
  files: readonly SourceFile[],
  facts: ManifestFacts,
  paths: ReadonlySet<string>,
  signals: ConventionSignals,
): Omit<Conventions, 'commitStyle'> {
  const conventions: Omit<Conventions, 'commitStyle'> = {};
  const system = moduleSystem(facts, signals);
  if (system) conventions.moduleSystem = system;

  const tests = files.filter((file) => file.role === 'test');
  const pythonTests = tests.filter((file) => file.language === 'python').length;
  const javascriptTests = tests.filter((file) => file.language && file.language !== 'python').length;
  const javascript = javascriptFramework(facts, signals);
  const python = pythonFramework(facts, paths, signals);
  const framework = pythonTests > javascriptTests ? (python ?? javascript) : (javascript ?? python);
  if (framework) conventions.testFramework = framework;

  const layout = testLayout(files);
  if (layout) {
    conventions.testFilePattern = layout.pattern;
    conventions.exemplarTest = layout.exemplar;
  }
  return conventions;
}
