import { bareExceptPass } from './correctness/bare-except-pass.ts';
import { emptyCatch } from './correctness/empty-catch.ts';
import { floatingPromise } from './correctness/floating-promise.ts';
import { mutableDefaultArgument } from './correctness/mutable-default-argument.ts';
import { nPlusOne } from './performance/n-plus-one.ts';
import { quadraticLookup } from './performance/quadratic-lookup.ts';
import { syncIoInHandler } from './performance/sync-io-in-handler.ts';
import { codeInjection } from './security/code-injection.ts';
import { commandInjection } from './security/command-injection.ts';
import { sqlInjection } from './security/sql-injection.ts';
import { tlsVerificationDisabled } from './security/tls-verification-disabled.ts';
import { unsafeDeserialization } from './security/unsafe-deserialization.ts';
import { skippedTests } from './tests/skipped-tests.ts';
import { testWithoutAssertion } from './tests/test-without-assertion.ts';
import type { FileDetector } from './types.ts';

/** Detectors that read one source file at a time (ast-grep rules and line checks). */
export const CODE_DETECTORS: readonly FileDetector[] = [
  emptyCatch,
  bareExceptPass,
  mutableDefaultArgument,
  floatingPromise,
  sqlInjection,
  commandInjection,
  codeInjection,
  unsafeDeserialization,
  tlsVerificationDisabled,
  nPlusOne,
  quadraticLookup,
  syncIoInHandler,
  testWithoutAssertion,
  skippedTests,
];
