/**
 * Coding-agent CLIs the user may already have, each in its non-interactive mode, working in the
 * worktree with the executor prompt. Each is offered only when its program is on PATH.
 */
import type { ExecutorAdapter, ExecutorRunInput } from '../types.ts';
import { findOnPath } from './on-path.ts';
import { executorEnv, runExecutorProcess } from './process-executor.ts';

interface AgentCli {
  name: string;
  program: string;
  description: string;
  install: string;
  /** Arguments, and the text for stdin when the prompt goes there. */
  invocation(input: ExecutorRunInput): { args: string[]; stdin?: string };
}

/** Linux refuses a single argument longer than this (MAX_ARG_STRLEN). */
const MAX_ARGUMENT = 128 * 1024 - 1;

const AGENTS: readonly AgentCli[] = [
  {
    name: 'claude',
    program: 'claude',
    description: 'Claude Code in print mode (`claude -p`), edits and shell allowed in the worktree',
    install: 'npm install -g @anthropic-ai/claude-code',
    invocation: (input) => ({
      args: [
        '-p',
        '--output-format',
        'text',
        '--permission-mode',
        'acceptEdits',
        '--allowedTools',
        'Bash,Read,Edit,Write,Glob,Grep',
      ],
      stdin: input.prompt,
    }),
  },
  {
    name: 'codex',
    program: 'codex',
    description: 'OpenAI Codex CLI (`codex exec`) with a workspace-write sandbox',
    install: 'npm install -g @openai/codex',
    invocation: (input) => ({ args: ['exec', '--sandbox', 'workspace-write', '-'], stdin: input.prompt }),
  },
  {
    name: 'aider',
    program: 'aider',
    description: 'aider with the prompt as its message (`aider --message-file`) on the in-scope files',
    install: 'python -m pip install aider-install && aider-install',
    invocation: (input) => ({
      args: [
        '--yes-always',
        '--no-check-update',
        '--no-pretty',
        '--no-stream',
        '--message-file',
        input.promptFile,
        ...input.files,
      ],
    }),
  },
  {
    name: 'opencode',
    program: 'opencode',
    description: 'opencode in run mode (`opencode run`)',
    install: 'npm install -g opencode-ai',
    invocation: (input) => ({ args: ['run', input.prompt] }),
  },
];

function agentExecutor(agent: AgentCli): ExecutorAdapter {
  return {
    name: agent.name,
    description: agent.description,
    available: async () =>
      findOnPath(agent.program)
        ? { ok: true }
        : {
            ok: false,
            reason: `${agent.program} is not installed (not found on PATH). Install it with \`${agent.install}\`, or use --executor handoff or --executor cmd.`,
          },
    run: async (input) => {
      const { args, stdin } = agent.invocation(input);
      const tooLong = args.find((arg) => Buffer.byteLength(arg) > MAX_ARGUMENT);
      if (tooLong !== undefined) {
        return {
          exitCode: null,
          timedOut: false,
          outputLimited: false,
          interrupted: false,
          outputTail: `the prompt is too long to pass to ${agent.program} on its command line`,
        };
      }
      return runExecutorProcess(input, {
        command: [agent.program, ...args],
        env: executorEnv(input),
        ...(stdin === undefined ? {} : { input: stdin }),
      });
    },
  };
}

export const AGENT_EXECUTORS: readonly ExecutorAdapter[] = AGENTS.map(agentExecutor);
