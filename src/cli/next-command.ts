import { configureHint } from '../api/model-required.ts';
import { next } from '../api/next.ts';
import { RepoReader } from '../audit/repo-reader.ts';
import { EnvironmentError } from '../core/errors.ts';
import type { Finding } from '../core/types.ts';
import { recon } from '../recon/recon.ts';
import type { ModelCommandOptions } from './model-options.ts';
import { printEstimate, withModels } from './model-run.ts';
import type { Output } from './output.ts';
import { renderCostTable } from './render-model-run.ts';

export interface NextCommandOptions extends ModelCommandOptions {
  quiet?: boolean;
  verbose?: boolean;
}

function where(finding: Finding): string {
  const first = finding.evidence[0];
  return first ? ` (${first.file}:${first.startLine})` : '';
}

export async function runNextCommand(
  target: string | undefined,
  options: NextCommandOptions,
  output: Output,
): Promise<number> {
  const path = target ?? '.';
  return withModels(options, path, { command: 'next', uses: ['planner'], output }, async (models) => {
    const session = models.session;
    if (session?.dryRun) {
      const { estimateSingle } = await import('../agents/estimate-audit.ts');
      const { DIRECTION_SYSTEM } = await import('../agents/direction-advisor.ts');
      const profile = await recon(path);
      const estimate = estimateSingle({
        session,
        profile,
        reader: new RepoReader(profile.root),
        task: 'next',
        system: DIRECTION_SYSTEM,
      });
      return printEstimate(estimate, session, output);
    }
    const result = await next({
      path,
      ...(session ? { model: session } : {}),
      onProgress: (stage, done, total) => output.progress(total ? `${stage} ${done}/${total}` : `${stage}…`),
    });
    output.endProgress();
    const lines = ['Direction signals (from the repository itself):'];
    if (result.signals.length === 0)
      lines.push('  none: no roadmap items, promises or recurring TODO themes found');
    for (const signal of result.signals) lines.push(`  • ${signal.title}${where(signal)}`);
    output.result(lines.join('\n'));
    if (!result.modelUsed) {
      output.info(
        `\nFor grounded suggestions of where to go next, configure a model. ${configureHint('next')}`,
      );
      return 0;
    }
    if (result.problem)
      throw new EnvironmentError(`improve next: ${result.problem}; no suggestion was made.`);
    const out = ['', `Where to go next (planner ${session?.describe('planner') ?? ''}):`];
    result.suggestions.forEach((s, index) => {
      out.push('', `${index + 1}. ${s.title}  [${s.kind}, effort ${s.effort}]`);
      out.push(`   ${s.rationale}`);
      out.push(`   Trade-offs: ${s.tradeoffs}`);
      out.push(
        `   Evidence: ${s.evidence.map((e) => `${e.file}:${e.startLine}${e.endLine > e.startLine ? `-${e.endLine}` : ''}`).join(', ')}`,
      );
    });
    if (result.dropped > 0)
      out.push('', `${result.dropped} suggestion(s) dropped: their evidence was not in the files.`);
    output.result(out.join('\n'));
    if (session) output.result(`\n${renderCostTable(session.summary(), output.width)}`);
    return models.interrupted() ? 130 : 0;
  });
}
