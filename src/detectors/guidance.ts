import type { DetectorMeta } from './types.ts';

/** A Python source or stub file, by its name (what `guidanceFor` and the plans agree on). */
export function isPythonFile(file: string | undefined): boolean {
  return file !== undefined && /\.pyw?$|\.pyi$/.test(file);
}

/**
 * The fix sketch, risk reason and steps a detector gives a finding cited at `file`: its Python
 * guidance for a Python file, where it has any, else its general text.
 */
export function guidanceFor(
  detector: Pick<DetectorMeta, 'fixSketch' | 'riskReason' | 'steps' | 'python'>,
  file: string | undefined,
): { fixSketch: string; riskReason: string; steps?: readonly string[] } {
  const python = isPythonFile(file) ? detector.python : undefined;
  const steps = python?.steps ?? detector.steps;
  return {
    fixSketch: python?.fixSketch ?? detector.fixSketch,
    riskReason: python?.riskReason ?? detector.riskReason,
    ...(steps ? { steps } : {}),
  };
}
