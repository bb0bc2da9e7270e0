import type { LineCounter, Scalar } from 'yaml';
import type { ReconProblem } from '../core/types.ts';
import { yaml } from '../core/yaml.ts';
import { splitCommands } from './shell-command.ts';

/** One simple command (no `&&`, `;` or `|`) from a CI `run:` step, with its 1-based line. */
export interface CiCommand {
  file: string;
  line: number;
  command: string;
  /** True when the step runs elsewhere (`working-directory`, an earlier `cd`), so its scripts are not the root's. */
  elsewhere: boolean;
}

const CI_FILE =
  /^(\.github\/workflows\/[^/]+\.ya?ml|\.gitlab-ci\.yml|\.circleci\/config\.ya?ml|azure-pipelines\.ya?ml|Jenkinsfile|\.travis\.yml|bitbucket-pipelines\.yml)$/;

export function isCiFile(file: string): boolean {
  return CI_FILE.test(file);
}

export function isWorkflowFile(file: string): boolean {
  return /^\.github\/workflows\/[^/]+\.ya?ml$/.test(file);
}

/** The lines of a shell script with continuations joined, each with its offset from the first line. */
export function scriptLines(script: string): { offset: number; text: string }[] {
  const result: { offset: number; text: string }[] = [];
  const lines = script.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const start = index;
    let text = lines[index] ?? '';
    while (text.endsWith('\\') && index + 1 < lines.length) {
      index += 1;
      text = `${text.slice(0, -1)} ${lines[index] ?? ''}`;
    }
    const trimmed = text.trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) result.push({ offset: start, text: trimmed });
  }
  return result;
}

function runCommands(file: string, run: Scalar, lineCounter: LineCounter, elsewhere: boolean): CiCommand[] {
  if (typeof run.value !== 'string') return [];
  const start = lineCounter.linePos(run.range?.[0] ?? 0).line;
  const block = run.type === 'BLOCK_LITERAL' || run.type === 'BLOCK_FOLDED';
  const commands: CiCommand[] = [];
  let changedDirectory = elsewhere;
  for (const { offset, text } of scriptLines(run.value)) {
    const line = start + (block ? 1 : 0) + offset;
    for (const command of splitCommands(text)) {
      if (/^(cd|pushd)\s/.test(command)) changedDirectory = true;
      else commands.push({ file, line, command, elsewhere: changedDirectory });
    }
  }
  return commands;
}

function hasWorkingDirectory(node: unknown): boolean {
  if (!yaml().isMap(node)) return false;
  if (node.has('working-directory')) return true;
  const defaults = node.get('defaults', true);
  const run = yaml().isMap(defaults) ? defaults.get('run', true) : undefined;
  return yaml().isMap(run) && run.has('working-directory');
}

/** Shell commands of every `run:` step in a GitHub Actions workflow, in file order. */
export function workflowCommands(file: string, text: string, problems: ReconProblem[]): CiCommand[] {
  const lineCounter = new (yaml().LineCounter)();
  const document = yaml().parseDocument(text, { lineCounter });
  const firstError = document.errors[0];
  if (firstError) {
    problems.push({
      path: file,
      line: firstError.linePos?.[0].line ?? 1,
      message: `invalid YAML: ${firstError.code}`,
    });
    return [];
  }
  const commands: CiCommand[] = [];
  const workflowElsewhere = hasWorkingDirectory(document.contents);
  const jobs = yaml().isMap(document.contents) ? document.contents.get('jobs', true) : undefined;
  if (!yaml().isMap(jobs)) return [];
  for (const pair of jobs.items) {
    const job = pair.value;
    if (!yaml().isMap(job)) continue;
    const jobElsewhere = workflowElsewhere || hasWorkingDirectory(job);
    const steps = job.get('steps', true);
    if (!yaml().isSeq(steps)) continue;
    for (const step of steps.items) {
      if (!yaml().isMap(step)) continue;
      const run = step.get('run', true);
      if (!yaml().isScalar(run)) continue;
      commands.push(...runCommands(file, run, lineCounter, jobElsewhere || step.has('working-directory')));
    }
  }
  return commands;
}
