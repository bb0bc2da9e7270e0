import { deprecatedPackage } from './dependencies/deprecated-package.ts';
import { duplicatePurpose } from './dependencies/duplicate-purpose.ts';
import { eolRuntime } from './dependencies/eol-runtime.ts';
import { knownVulnerability } from './dependencies/known-vulnerability.ts';
import { lockfile } from './dependencies/lockfile.ts';
import { createWithoutDelete } from './direction/create-without-delete.ts';
import { todoTheme } from './direction/todo-theme.ts';
import { unfinishedPromise } from './direction/unfinished-promise.ts';
import { unusedCliFlag } from './direction/unused-cli-flag.ts';
import { unusedExport } from './direction/unused-export.ts';
import { brokenLink } from './docs/broken-link.ts';
import { noReadme } from './docs/no-readme.ts';
import { staleDocReference } from './docs/stale-doc-reference.ts';
import { brokenManifest } from './dx/broken-manifest.ts';
import { missingScripts } from './dx/missing-scripts.ts';
import { missingSetupFile } from './dx/missing-setup-file.ts';
import { noAgentGuide } from './dx/no-agent-guide.ts';
import { noCi } from './dx/no-ci.ts';
import { undefinedCommand } from './dx/undefined-command.ts';
import { undocumentedEnv } from './dx/undocumented-env.ts';
import { aiDirectedText } from './security/ai-directed-text.ts';
import { hardcodedSecret } from './security/hardcoded-secret.ts';
import { templateRawHtml } from './security/template-raw-html.ts';
import { circularImport } from './tech-debt/circular-import.ts';
import { duplicateBlock } from './tech-debt/duplicate-block.ts';
import { godModule } from './tech-debt/god-module.ts';
import { todoCluster } from './tech-debt/todo-cluster.ts';
import { unusedDependency } from './tech-debt/unused-dependency.ts';
import { unusedFile } from './tech-debt/unused-file.ts';
import { noVerificationBaseline } from './tests/no-verification-baseline.ts';
import { untestedHotspot } from './tests/untested-hotspot.ts';
import type { RepoDetector } from './types.ts';

/** Detectors that look at the repository as a whole: profile, manifests, docs, history. */
export const REPO_DETECTORS: readonly RepoDetector[] = [
  noVerificationBaseline,
  untestedHotspot,
  hardcodedSecret,
  aiDirectedText,
  templateRawHtml,
  brokenManifest,
  lockfile,
  deprecatedPackage,
  eolRuntime,
  duplicatePurpose,
  knownVulnerability,
  noCi,
  missingScripts,
  undefinedCommand,
  missingSetupFile,
  undocumentedEnv,
  noAgentGuide,
  todoCluster,
  duplicateBlock,
  circularImport,
  godModule,
  unusedFile,
  unusedDependency,
  brokenLink,
  noReadme,
  staleDocReference,
  todoTheme,
  unfinishedPromise,
  unusedCliFlag,
  createWithoutDelete,
  unusedExport,
];
