import type { RepoProfile } from '../core/types.ts';
import type { DetectorMeta } from './types.ts';

/**
 * A Python source or stub file, or a Python project's manifest (requirements.txt, setup.cfg,
 * pyproject.toml, Pipfile), by its name: what `guidanceFor` and the plans agree on.
 */
export function isPythonFile(file: string | undefined): boolean {
  return (
    file !== undefined &&
    /\.pyw?$|\.pyi$|(?:^|\/)(?:requirements[^/]*\.txt|setup\.cfg|pyproject\.toml|Pipfile)$/.test(file)
  );
}

/**
 * The fix sketch, risk reason and steps a detector gives a finding cited at `file`: its Python
 * guidance for a Python file (or, for a finding that cites no file, in a Python repository, as
 * `pythonRepo` says), where it has any, else its general text.
 */
export function guidanceFor(
  detector: Pick<DetectorMeta, 'fixSketch' | 'riskReason' | 'steps' | 'python'>,
  file: string | undefined,
  pythonRepo = false,
): { fixSketch: string; riskReason: string; steps?: readonly string[] } {
  const python = (file === undefined ? pythonRepo : isPythonFile(file)) ? detector.python : undefined;
  const steps = python?.steps ?? detector.steps;
  return {
    fixSketch: python?.fixSketch ?? detector.fixSketch,
    riskReason: python?.riskReason ?? detector.riskReason,
    ...(steps ? { steps } : {}),
  };
}

/** Whether most of the repository's code is Python (recon's language table, largest first). */
export function pythonRepository(profile: Pick<RepoProfile, 'languages'>): boolean {
  return profile.languages[0]?.name === 'Python';
}
