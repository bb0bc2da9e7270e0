import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { passesTextGate, runFilePass } from '../../src/audit/file-pass.ts';
import { minimalProfile } from '../../src/core/minimal-profile.ts';
import { CODE_DETECTORS } from '../../src/detectors/code-detectors.ts';
import type { FileDetector } from '../../src/detectors/types.ts';

const context = { profile: minimalProfile('/nowhere', [], 'not a git repository'), read: () => undefined };
const task = { path: 'src/a.ts', language: 'typescript', role: 'source' } as const;

/** A detector that records every file it was asked about, gated on the word `ledger`. */
function recordingDetector(seen: string[]): FileDetector {
  return {
    id: 'test/ledger-calls',
    category: 'correctness',
    title: 'Ledger call',
    description: 'Every call in a file that mentions the ledger.',
    impact: 'LOW',
    effort: 'S',
    risk: 'LOW',
    riskReason: 'test detector',
    confidence: 'LOW',
    fixSketch: 'none',
    scope: 'file',
    languages: ['typescript'],
    requires: /\bledger\b/,
    rule: { rule: { kind: 'call_expression' } },
    match(node, file) {
      seen.push(`${file.path}:${node.text()}`);
      return { file: file.path, startLine: 1, endLine: 1 };
    },
    check(file) {
      seen.push(`check ${file.path}`);
      return [];
    },
  };
}

describe('text gates (detector `requires`)', () => {
  it('skip a detector on a file whose text cannot hold a finding, with an empty outcome', () => {
    const seen: string[] = [];
    const [outcome] = runFilePass(task, 'save(order);\n', [recordingDetector(seen)], context);
    assert.deepEqual(outcome, { detector: 'test/ledger-calls', findings: [] });
    assert.deepEqual(seen, []);
  });

  it('run the detector as before when the text passes', () => {
    const seen: string[] = [];
    const [outcome] = runFilePass(task, 'ledger.save(order);\n', [recordingDetector(seen)], context);
    assert.equal(outcome?.findings.length, 1);
    assert.deepEqual(seen, ['src/a.ts:ledger.save(order)', 'check src/a.ts']);
  });

  it('apply per language: a language without a gate is never skipped', () => {
    const detector = { ...recordingDetector([]), requires: { python: /ledger/ } };
    assert.equal(passesTextGate(detector, 'typescript', 'nothing here'), true);
    assert.equal(passesTextGate(detector, 'python', 'nothing here'), false);
    assert.equal(passesTextGate(detector, 'python', 'ledger = []'), true);
  });

  it('with a list, require every regex in it (a sink and a source)', () => {
    const detector = { ...recordingDetector([]), requires: { typescript: [/redirect/, /\breq\./] } };
    assert.equal(passesTextGate(detector, 'typescript', 'res.redirect(next)'), false);
    assert.equal(passesTextGate(detector, 'typescript', 'const next = req.query.next;'), false);
    assert.equal(passesTextGate(detector, 'typescript', 'res.redirect(req.query.next)'), true);
  });

  it('read a list inside the list as "any of", and scan the text once per regex for every detector', () => {
    const source = /\breq\./;
    const browser = /location\./;
    const detector = { ...recordingDetector([]), requires: { typescript: [/redirect/, [source, browser]] } };
    assert.equal(passesTextGate(detector, 'typescript', 'res.redirect(location.hash)'), true);
    assert.equal(passesTextGate(detector, 'typescript', 'res.redirect(next)'), false);
    const seen = new Map<RegExp, boolean>([[source, true]]);
    // The remembered answer stands for this text: no second scan.
    assert.equal(passesTextGate(detector, 'typescript', 'res.redirect(next)', seen), true);
  });

  it('settle a list by a part another gate already found missing, without scanning the rest', () => {
    const scanned: string[] = [];
    class Recorded extends RegExp {
      override test(text: string): boolean {
        scanned.push(this.source);
        return super.test(text);
      }
    }
    const shared = new Recorded('\\breq\\.');
    const sink = new Recorded('redirect');
    const detector = { ...recordingDetector([]), requires: { typescript: [sink, [shared]] } };
    const seen = new Map<RegExp, boolean>([[shared, false]]);
    assert.equal(passesTextGate(detector, 'typescript', 'res.redirect(next)', seen), false);
    assert.deepEqual(scanned, []);
    // Unknown parts are still scanned in order.
    assert.equal(passesTextGate(detector, 'typescript', 'res.redirect(req.query.next)'), true);
    assert.deepEqual(scanned, ['redirect', '\\breq\\.']);
  });

  it('built-in gates are plain regexes (no g or y flag, whose lastIndex would skip files at random)', () => {
    for (const detector of CODE_DETECTORS) {
      const gate = detector.scope === 'file' ? detector.requires : undefined;
      if (!gate) continue;
      for (const regex of gate instanceof RegExp || Array.isArray(gate)
        ? [gate].flat(2)
        : Object.values(gate).flat(2)) {
        assert.ok(regex && !regex.global && !regex.sticky, `${detector.id}: ${String(regex)}`);
      }
    }
  });
});
