import { emptyCatch } from './correctness/empty-catch.ts';
import type { FileDetector } from './types.ts';

/** Detectors that read one source file at a time (ast-grep rules and line checks). */
export const CODE_DETECTORS: readonly FileDetector[] = [emptyCatch];
