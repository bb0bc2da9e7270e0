import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asciiJson } from '../../src/core/ascii-json.ts';

test('asciiJson writes only ASCII and parses back to the same value', () => {
  const value = {
    message: 'today’s errors',
    path: 'docs/naïve 🚀.md',
    control: '\u007f',
    list: ['é', 1, null],
  };
  const text = asciiJson(value);
  assert.ok(
    [...text].every((char) => char.charCodeAt(0) < 0x7f),
    'nothing outside ASCII',
  );
  assert.ok(text.includes('\\u2019'), 'the apostrophe is escaped');
  assert.deepEqual(JSON.parse(text), value);
  assert.equal(asciiJson({ plain: 'a"b\\c' }), JSON.stringify({ plain: 'a"b\\c' }));
});
