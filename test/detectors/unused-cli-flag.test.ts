import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unusedCliFlag } from '../../src/detectors/direction/unused-cli-flag.ts';
import { detect } from '../helpers/detector.ts';

describe('direction/unused-cli-flag', () => {
  it('flags commander and argparse options whose values nothing reads', () => {
    const findings = detect(unusedCliFlag, {
      'src/cli.ts': [
        "import { Command } from 'commander';",
        'const program = new Command();',
        'program',
        "  .option('--dry-run', 'print the plan only')",
        "  .option('-c, --concurrency <n>', 'parallel uploads')",
        "  .option('--no-color', 'plain output')",
        '  .action((opts) => upload({ dryRun: opts.dryRun, color: opts.color }));',
        'program.parse();',
      ].join('\n'),
      'tools/sync.py': [
        'import argparse',
        'parser = argparse.ArgumentParser()',
        'parser.add_argument("--source", required=True)',
        'parser.add_argument("--batch-size", type=int, default=100)',
        'parser.add_argument("--version", action="version", version="1.0")',
        'args = parser.parse_args()',
        'sync(args.source)',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.title, f.evidence[0]?.startLine, f.confidence]),
      [
        ['`--concurrency` is parsed but never read (src/cli.ts)', 5, 'MED'],
        ['`--batch-size` is parsed but never read (tools/sync.py)', 4, 'MED'],
      ],
    );
    assert.match(findings[1]?.message ?? '', /read as `batch_size`/);
  });

  it('leaves options read elsewhere, read wholesale, or of unrelated .option() calls alone', () => {
    const findings = detect(unusedCliFlag, {
      'src/cli.ts': [
        "import { program } from 'commander';",
        "program.option('--out-dir <dir>').option('--watch');",
        'program.action(run);',
      ].join('\n'),
      'src/run.ts':
        'export function run(options: { outDir: string; watch?: boolean }) { return options.outDir; }\n',
      'src/all.js': [
        "const { program } = require('commander');",
        "program.option('--port <n>').option('--host <h>');",
        'start({ ...program.opts() });',
      ].join('\n'),
      'src/select.ts': "export const pick = (el: Select) => el.option('--not-a-flag');\n",
      // pm2: the program object goes to a function that maps each option onto its config.
      'bin/docker.js': [
        "const commander = require('commander');",
        "commander.option('--node-args <node_args>').option('--cron <pattern>');",
        'commander.command("start <file>").action((cmd) => pm2.start(cmd, commander, done));',
      ].join('\n'),
      'bin/dev.js': [
        "const commander = require('commander');",
        "commander.option('--deep-monitoring').option('--watch-delay <ms>');",
        'commander.parse(process.argv);',
        'start({ watch_delay: commander.watchDelay });',
      ].join('\n'),
      'lib/config.js': 'export function apply(app) { if (app.deep_monitoring) enableTracing(app); }\n',
      'app/cli.py': [
        'import argparse',
        'p = argparse.ArgumentParser()',
        'p.add_argument("--profile")',
        'main(**vars(p.parse_args()))',
      ].join('\n'),
    });
    assert.deepEqual(findings, []);
  });
});
