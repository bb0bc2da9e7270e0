import type { FileTree } from '../helpers/repo.ts';

/** Planted values that must never reach a model. */
export const PLANTED = {
  envSecret: `sk_${'live'}_51PLANTEDsecretValue0000000000`,
  envDatabase: 'postgres://shop:Pl4ntedDbPassw0rd@db/shop',
  sourceKey: 'AKIAQ7XZ3LMN4PRS5TUV',
};

/** A small shop service with a bug no static detector sees (an off-by-one in a loop). */
export const SHOP: FileTree = {
  'package.json': `${JSON.stringify(
    { name: 'shop', version: '1.0.0', type: 'module', scripts: { test: 'node --test test/' } },
    null,
    2,
  )}\n`,
  'package-lock.json': '{"name":"shop","lockfileVersion":3,"requires":true,"packages":{}}\n',
  'README.md': '# shop\n\nRun `npm test`.\n',
  '.env': `STRIPE_SECRET_KEY=${PLANTED.envSecret}\nDATABASE_URL=${PLANTED.envDatabase}\n`,
  'src/cart.js': [
    'export function total(items) {',
    '  let sum = 0;',
    '  for (let i = 1; i < items.length; i++) sum += items[i].price;',
    '  return sum;',
    '}',
    '',
    'export function count(items) {',
    '  return items.length;',
    '}',
    '',
  ].join('\n'),
  'src/config.js': [
    `export const AWS_ACCESS_KEY_ID = '${PLANTED.sourceKey}';`,
    'export const region = "eu-west-1";',
    '',
  ].join('\n'),
  'test/cart.test.js': [
    "import assert from 'node:assert/strict';",
    "import { test } from 'node:test';",
    "import { count } from '../src/cart.js';",
    '',
    "test('count', () => assert.equal(count([1, 2]), 2));",
    '',
  ].join('\n'),
};

export const OFF_BY_ONE_LINE = '  for (let i = 1; i < items.length; i++) sum += items[i].price;';
