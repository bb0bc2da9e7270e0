import { asyncForEach } from './correctness/async-foreach.ts';
import { bareExceptPass } from './correctness/bare-except-pass.ts';
import { emptyCatch } from './correctness/empty-catch.ts';
import { floatingPromise } from './correctness/floating-promise.ts';
import { mutableDefaultArgument } from './correctness/mutable-default-argument.ts';
import { requestWithoutTimeout } from './correctness/request-without-timeout.ts';
import { silentSwitchDefault } from './correctness/silent-switch-default.ts';
import { typeSuppressionCluster } from './correctness/type-suppression-cluster.ts';
import { unawaitedReturnInTry } from './correctness/unawaited-return-in-try.ts';
import { deepCloneInLoop } from './performance/deep-clone-in-loop.ts';
import { nPlusOne } from './performance/n-plus-one.ts';
import { quadraticLookup } from './performance/quadratic-lookup.ts';
import { regexInLoop } from './performance/regex-in-loop.ts';
import { sequentialAwaits } from './performance/sequential-awaits.ts';
import { syncIoInHandler } from './performance/sync-io-in-handler.ts';
import { autoescapeOff } from './security/autoescape-off.ts';
import { codeInjection } from './security/code-injection.ts';
import { commandInjection } from './security/command-injection.ts';
import { debugMode } from './security/debug-mode.ts';
import { htmlInjection } from './security/html-injection.ts';
import { insecureRandom } from './security/insecure-random.ts';
import { jwtVerification } from './security/jwt-verification.ts';
import { nosqlInjection } from './security/nosql-injection.ts';
import { openRedirect } from './security/open-redirect.ts';
import { pathTraversal } from './security/path-traversal.ts';
import { permissiveCors } from './security/permissive-cors.ts';
import { predictableToken } from './security/predictable-token.ts';
import { redos } from './security/redos.ts';
import { sessionFixation } from './security/session-fixation.ts';
import { sqlInjection } from './security/sql-injection.ts';
import { ssrf } from './security/ssrf.ts';
import { templateInjection } from './security/template-injection.ts';
import { tlsVerificationDisabled } from './security/tls-verification-disabled.ts';
import { unsafeDeserialization } from './security/unsafe-deserialization.ts';
import { urlSubstringCheck } from './security/url-substring-check.ts';
import { weakCipher } from './security/weak-cipher.ts';
import { weakHash } from './security/weak-hash.ts';
import { xxe } from './security/xxe.ts';
import { skippedTests } from './tests/skipped-tests.ts';
import { testWithoutAssertion } from './tests/test-without-assertion.ts';
import type { FileDetector } from './types.ts';

/** Detectors that read one source file at a time (ast-grep rules and line checks). */
export const CODE_DETECTORS: readonly FileDetector[] = [
  emptyCatch,
  bareExceptPass,
  mutableDefaultArgument,
  floatingPromise,
  asyncForEach,
  unawaitedReturnInTry,
  typeSuppressionCluster,
  silentSwitchDefault,
  requestWithoutTimeout,
  sqlInjection,
  commandInjection,
  codeInjection,
  unsafeDeserialization,
  tlsVerificationDisabled,
  pathTraversal,
  openRedirect,
  urlSubstringCheck,
  ssrf,
  xxe,
  debugMode,
  sessionFixation,
  redos,
  htmlInjection,
  autoescapeOff,
  nosqlInjection,
  templateInjection,
  weakHash,
  predictableToken,
  insecureRandom,
  weakCipher,
  jwtVerification,
  permissiveCors,
  nPlusOne,
  quadraticLookup,
  syncIoInHandler,
  regexInLoop,
  deepCloneInLoop,
  sequentialAwaits,
  testWithoutAssertion,
  skippedTests,
];
