/**
 * The benchmark's `improve branch` case: a clone of the corpus with a small synthetic feature
 * branch — two existing files edited and one file added, one of them with a new SQL injection — so
 * that the branch audit can be timed against the full audit of the same repository.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GIT_ENV } from './corpus.ts';

/** Files the branch edits (existing, moderately imported) and the file it adds. */
export const BRANCH_EDITS = ['src/webpack/lib/util/formatSize.js', 'src/node-gyp/gyp/pylib/gyp/common.py'];
export const BRANCH_ADDS = 'src/webpack/lib/util/sizeReport.js';

const NEW_FILE = `"use strict";

const formatSize = require("./formatSize");

/**
 * Serves a size report for one asset of the last build.
 * @param {import("express").Request} req request
 * @param {import("express").Response} res response
 * @param {{ query(sql: string): Promise<{ rows: { size: number }[] }> }} db database
 */
module.exports = async function sizeReport(req, res, db) {
	const result = await db.query(
		\`SELECT size FROM assets WHERE name = '\${req.query.name}'\`
	);
	res.send(result.rows.map(row => formatSize(row.size)).join("\\n"));
};
`;

const JS_EDIT = `
/**
 * @param {number[]} sizes sizes in bytes
 * @returns {string} the total, formatted
 */
module.exports.formatTotal = sizes => module.exports(sizes.reduce((a, b) => a + b, 0));
`;

const PY_EDIT = `

def ReadSizeLimits(path):
  """Reads per-target size limits from a JSON file."""
  import json
  with open(path) as limits:
    return json.load(limits)
`;

function cloneOnBranch(corpus: string, dir: string, branch: string): (...args: string[]) => void {
  execFileSync('git', ['clone', '-q', '--shared', corpus, dir], { stdio: 'ignore' });
  const git = (...args: string[]) => {
    execFileSync('git', args, { cwd: dir, env: { ...process.env, ...GIT_ENV }, stdio: 'ignore' });
  };
  git('checkout', '-q', '-b', branch);
  return git;
}

/** Clone the corpus into `dir` and commit the synthetic branch `feature/size-report` there. */
export function makeBranchCase(corpus: string, dir: string): string {
  const git = cloneOnBranch(corpus, dir, 'feature/size-report');
  const [jsEdit = '', pyEdit = ''] = BRANCH_EDITS;
  appendFileSync(path.join(dir, jsEdit), JS_EDIT);
  appendFileSync(path.join(dir, pyEdit), PY_EDIT);
  writeFileSync(path.join(dir, BRANCH_ADDS), NEW_FILE);
  git('add', '-A');
  git('commit', '-q', '-m', 'size report endpoint');
  return dir;
}

/** The file the one-file branch adds: a small module nothing imports yet. */
export const LEAF_ADDS = 'src/webpack/lib/util/sumSizes.js';

const LEAF_FILE = `"use strict";

/**
 * @param {number[]} sizes sizes in bytes
 * @returns {number} their sum
 */
module.exports = function sumSizes(sizes) {
	return sizes.reduce((a, b) => a + b, 0);
};
`;

/**
 * Clone the corpus into `dir` and commit a branch that adds one small file: what a branch audit
 * costs whatever the branch, the fixed part of every run.
 */
export function makeOneFileBranchCase(corpus: string, dir: string): string {
  const git = cloneOnBranch(corpus, dir, 'feature/sum-sizes');
  writeFileSync(path.join(dir, LEAF_ADDS), LEAF_FILE);
  git('add', '-A');
  git('commit', '-q', '-m', 'sum sizes');
  return dir;
}
