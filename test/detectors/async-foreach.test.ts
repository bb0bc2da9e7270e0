import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asyncForEach } from '../../src/detectors/correctness/async-foreach.ts';
import { detect, linesAndConfidence } from '../helpers/detector.ts';

describe('correctness/async-foreach', () => {
  it('flags an async callback given to forEach: HIGH inside an async function, MED elsewhere (Etherpad import)', () => {
    const findings = detect(asyncForEach, {
      'node/utils/ImportEtherpad.js': [
        'exports.setPadRaw = async (padId, r) => {',
        '  const records = JSON.parse(r);',
        '  Object.keys(records).forEach(async (key) => {',
        '    await db.set(key, records[key]);',
        '  });',
        '  return padId;',
        '};',
        'function onChange(items) {',
        '  items.forEach(async function (item) { await save(item); });',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [3, 'HIGH'],
      [9, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /Promise\.all\(items\.map/);
    assert.equal(
      findings[0]?.doneCheck,
      "! grep -qF -- 'Object.keys(records).forEach(async (key) => {' 'node/utils/ImportEtherpad.js'",
    );
  });

  it('rates an async callback that awaits nothing LOW: only its errors go astray (MeshCentral Discord lookup)', () => {
    const findings = detect(asyncForEach, {
      'meshmessaging.js': [
        'async function discordFindUserByTag(userTag, func) {',
        '  const guilds = await client.guilds.fetch();',
        '  guilds.forEach(async function (value, key) {',
        '    const members = await value.members.search({ query: userTag });',
        '    members.forEach(async function (member, id) {',
        '      if (member.user.tag == userTag) { func(id); }',
        '      const later = async () => { await member.fetch(); };',
        '    });',
        '  });',
        '}',
      ].join('\n'),
    });
    // The inner callback's only await is in a function of its own.
    assert.deepEqual(linesAndConfidence(findings), [
      [3, 'HIGH'],
      [5, 'LOW'],
    ]);
    assert.match(findings[1]?.message ?? '', /awaits nothing/);
    assert.equal(findings[1]?.impact, 'LOW');
  });

  it('leaves synchronous callbacks, awaited loops, Promise.all over map and async functions passed elsewhere alone', () => {
    const findings = detect(asyncForEach, {
      'src/save.ts': [
        'export async function saveAll(items: Item[]) {',
        '  items.forEach((item) => cache.delete(item.id));',
        '  for (const item of items) await save(item);',
        '  await Promise.all(items.map(async (item) => save(item)));',
        '  emitter.on("change", async () => { await refresh(); });',
        '  items.forEach(logItem);',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(findings, []);
  });
});
