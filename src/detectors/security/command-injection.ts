import type { SgNode } from '@ast-grep/napi';
import { jsAndPython, jsCall, pythonCall } from '../call-rules.ts';
import { callArguments, calleeText } from '../correctness/enclosing-function.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { moduleFunction } from './module-bindings.ts';
import { describeSource, sinkFinding, worstPart } from './sink-finding.ts';
import {
  builtString,
  COMMAND_LINE_MODULE,
  fromConfiguration,
  fromProgramLocation,
  isPython,
} from './value-source.ts';

const CHILD_PROCESS = `['"](?:node:)?child_process['"]`;
const SHELL_ALWAYS = new Set(['exec', 'execSync']);
const PY_SHELL_ALWAYS = /^(?:os\.(?:system|popen)|subprocess\.(?:getoutput|getstatusoutput))$/;
const PY_SHELL_OPTION = /^(?:subprocess\.)?(?:run|call|check_call|check_output|Popen)$/;

function hasShellTrue(args: readonly SgNode[], python: boolean): boolean {
  if (python) return args.some((a) => a.kind() === 'keyword_argument' && /^shell\s*=\s*True$/.test(a.text()));
  return args.some((a) => a.kind() === 'object' && /(?:^|[{,\s])['"]?shell['"]?\s*:\s*true\b/.test(a.text()));
}

function matchCommand(node: SgNode, file: FileInput): RawFinding | undefined {
  const python = isPython(file.language);
  const callee = calleeText(node);
  const args = callArguments(node);
  let candidates: SgNode[];
  if (python) {
    if (PY_SHELL_ALWAYS.test(callee)) candidates = args.slice(0, 1);
    else if (PY_SHELL_OPTION.test(callee) && hasShellTrue(args, true)) candidates = args.slice(0, 1);
    else return undefined;
  } else {
    const fn = moduleFunction(callee, file.text, CHILD_PROCESS);
    if (!fn) return undefined;
    if (SHELL_ALWAYS.has(fn)) candidates = args.slice(0, 1);
    else if (/^(?:spawn|spawnSync|execFile|execFileSync)$/.test(fn) && hasShellTrue(args, false)) {
      const list = args[1]?.kind() === 'array' ? args[1].children().filter((c) => c.isNamed()) : [];
      candidates = [...args.slice(0, 1), ...list];
    } else return undefined;
  }
  const dynamic = candidates.flatMap((c) =>
    c.kind() === 'keyword_argument' ? [] : (builtString(c, python)?.dynamic ?? []),
  );
  const { source, part } = worstPart(dynamic, python);
  if (source === 'constant' || !part) return undefined;
  if (source === 'unknown' && dynamic.every((d) => fromConfiguration(d, python))) {
    const finding = sinkFinding(
      file,
      node,
      part,
      source,
      `A shell command is built from \`${part.text().slice(0, 60)}\`, read from the program's configuration (a settings file or the environment), and run through a shell by \`${callee}()\`. Whoever writes that configuration runs the program anyway, so this is only a lead: pass the value as an argument (\`execFile\`, a list of arguments) so that a stray space or quote in it cannot break the command.`,
    );
    finding.confidence = 'LOW';
    return finding;
  }
  if (
    source === 'unknown' &&
    dynamic.every((d) => fromProgramLocation(d, python) || fromConfiguration(d, python))
  ) {
    // LobeChat's build script: `rm -rf "${targetDir}"`, a folder of its own checkout.
    const finding = sinkFinding(
      file,
      node,
      part,
      source,
      `A shell command is built from \`${part.text().slice(0, 60)}\`, a path in the program's own place (its folder, the working directory) made with constants, and run through a shell by \`${callee}()\`. Nobody outside the program chooses that path, so this is only a lead: a space, quote or \`$\` in the folder's name still breaks the command, so pass the path as an argument (\`execFile\`, \`fs.rmSync\`).`,
    );
    finding.confidence = 'LOW';
    return finding;
  }
  if (source === 'unknown' && COMMAND_LINE_MODULE.test(file.path)) {
    // `os.system(f'{editor} "{sfile}"')` in `scrapy edit`: the editor from the settings, the file
    // of the spider named on the command line.
    const finding = sinkFinding(
      file,
      node,
      part,
      source,
      `A shell command is built from \`${part.text().slice(0, 60)}\` and run through a shell by \`${callee}()\`, in a command of a command-line tool: its values come from the person running the tool (arguments, settings, environment), who can run commands anyway. A lead only: it matters if another program passes it text it received, and a stray space or quote still breaks the command, so pass arguments as a list.`,
    );
    finding.confidence = 'LOW';
    return finding;
  }
  return sinkFinding(
    file,
    node,
    part,
    source,
    `A shell command is built from ${describeSource(source, part)} and run through a shell by \`${callee}()\`. Shell metacharacters in that value (\`;\`, \`$( )\`, \`|\`) run arbitrary commands on the server.`,
  );
}

const JS_RULE = jsCall('(^|\\.)(exec|execSync|spawn|spawnSync|execFile|execFileSync)$');

/** A shell command assembled from a non-constant value. */
export const commandInjection: FileDetector = {
  id: 'security/command-injection',
  category: 'security',
  scope: 'file',
  requires: {
    // A child_process function, which only counts with child_process imported.
    ...jsGate([/exec|spawn/, /child_process/]),
    python: /system|popen|getoutput|getstatusoutput|\brun\b|\bcall\b|check_call|check_output|Popen/,
  },
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'Shell command built from a non-constant value (command injection)',
  description:
    'A command line is assembled by string interpolation and handed to a shell. If any interpolated value can be influenced from outside (a request, a file name, a branch name), shell metacharacters in it execute arbitrary commands with the server’s privileges.',
  impact: 'HIGH',
  effort: 'S',
  risk: 'MED',
  riskReason:
    'Passing arguments as a list without a shell changes how globbing, pipes and quoting behave; commands that relied on shell features need to be rewritten explicitly.',
  confidence: 'HIGH',
  fixSketch:
    'Run the program without a shell and pass arguments as a list (`execFile("git", ["log", ref])`, `subprocess.run(["git", "log", ref])`). Validate values against an allow-list or pattern before use; never interpolate them into a command string.',
  steps: [
    'Open the cited line and identify the program being run and each value interpolated into its command string.',
    'Replace the call with the no-shell form: in Node `execFile`/`spawn` (without `shell: true`) with an argument array; in Python `subprocess.run([...], check=True)` without `shell=True`.',
    'If the command needs a pipe or redirection, do that step in code instead (read the output and process it), or keep a constant command string and pass values through environment variables.',
    'Add a test that passes a value such as `x; touch /tmp/pwned` and asserts that it is treated as a single argument (the command fails cleanly or receives the literal text).',
  ],
  python: {
    fixSketch:
      'Run the program without a shell and pass the arguments as a list (`subprocess.run(["git", "log", ref], check=True)`), never `shell=True`, `os.system` or `os.popen` with a built string. Validate values against an allow-list or pattern before use.',
    steps: [
      'Open the cited line and identify the program being run and each value interpolated into its command string.',
      'Replace the call with `subprocess.run([...], check=True)` (or `subprocess.check_output([...])` where the output is used), the program and each value a separate item of the list, without `shell=True`; replace `os.system` and `os.popen` the same way.',
      'If the command needs a pipe or redirection, do that step in Python instead (read the output and process it), or keep a constant command string and pass values through environment variables (`env={**os.environ, "REF": ref}`).',
      'Add a test that passes a value such as `x; touch /tmp/pwned` and asserts that it is treated as a single argument (the command fails cleanly or receives the literal text).',
    ],
  },
  rule: jsAndPython(
    JS_RULE,
    pythonCall(
      '^(os\\.(system|popen)|subprocess\\.(getoutput|getstatusoutput|run|call|check_call|check_output|Popen)|run|call|check_call|check_output|Popen)$',
    ),
  ),
  match: matchCommand,
};
