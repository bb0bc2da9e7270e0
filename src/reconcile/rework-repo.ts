/**
 * The repository as the planner sees it when it reworks a plan: recon's files (minus the config's
 * ignores), a reader of redacted lines, and the repository brief. Made from a checkout of the
 * commit the plan is (re)planned at, or from the working tree when there is none.
 */
import ignore from 'ignore';
import { repoBrief } from '../agents/repo-brief.ts';
import { repoFiles } from '../agents/repo-tools.ts';
import { RepoReader } from '../audit/repo-reader.ts';
import { loadConfig } from '../config/config.ts';
import { recon } from '../recon/recon.ts';
import type { RewriteRepo } from './blocked-proposal.ts';

export async function reworkRepo(dir: string): Promise<RewriteRepo> {
  const mapped = await recon(dir);
  const matcher = ignore().add(loadConfig(mapped.root).ignore);
  const profile = { ...mapped, files: mapped.files.filter((file) => !matcher.ignores(file.path)) };
  const reader = new RepoReader(profile.root);
  return { profile, files: repoFiles(profile, reader), context: repoBrief(profile, reader) };
}
