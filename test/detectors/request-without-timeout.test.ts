import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { passesTextGate } from '../../src/audit/file-pass.ts';
import { requestWithoutTimeout } from '../../src/detectors/correctness/request-without-timeout.ts';
import { detect, withCheckTree } from '../helpers/detector.ts';

const CLIENT = [
  'import json',
  'import requests',
  '',
  'API = "https://api.example.com"',
  '',
  'def fetch_user(user_id):',
  '    response = requests.get(f"{API}/users/{user_id}")',
  '    response.raise_for_status()',
  '    return response.json()',
  '',
  'def push_event(event):',
  '    return requests.post(',
  '        f"{API}/events",',
  '        data=json.dumps(event),',
  '        headers={"Content-Type": "application/json"},',
  '    )',
].join('\n');

const FEED = [
  'import os, urllib.request',
  'from urllib.request import urlopen',
  '',
  'def read_feed(url):',
  '    with urlopen(url) as response:',
  '        return response.read()',
  'def read_entity(system_id):',
  '    return urllib.request.urlopen(system_id)',
].join('\n');

const SYNC = [
  'import requests',
  '',
  'def sync(urls):',
  '    s = requests.Session()',
  '    for url in urls:',
  '        s.get(url, headers={"Accept": "application/json"})',
  '',
  'def upload(url, data):',
  '    with requests.Session() as session:',
  '        return session.post(url, data=data)',
  '',
  'class Client:',
  '    def __init__(self):',
  '        self.session = requests.Session()',
  '        self.cache = {}',
  '    def fetch(self, url):',
  '        cached = self.cache.get(url)',
  '        return cached or self.session.get(url, timeout=10) or self.session.get(url)',
].join('\n');

/** The sample files with every call given a timeout (one of them on a later line of its call). */
const CLIENT_FIXED = CLIENT.replace('{user_id}")', '{user_id}", timeout=HTTP_TIMEOUT)').replace(
  'data=json.dumps(event),',
  'data=json.dumps(event),\n        timeout=HTTP_TIMEOUT,',
);
const FEED_FIXED = FEED.replace('urlopen(url)', 'urlopen(url, timeout=30)').replace(
  'urlopen(system_id)',
  'urlopen(system_id, timeout=30)',
);

describe('correctness/request-without-timeout', () => {
  it('flags requests calls and urlopen without a timeout, one finding per call', () => {
    const findings = detect(requestWithoutTimeout, { 'app/client.py': CLIENT, 'app/feed.py': FEED });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['app/client.py', 7, 'MED'],
        ['app/client.py', 12, 'MED'],
        ['app/feed.py', 5, 'MED'],
        ['app/feed.py', 8, 'MED'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /`requests\.get\(…\)` has no timeout/);
    assert.match(findings[2]?.message ?? '', /`urlopen\(…\)` has no timeout/);
    // buildbot: the module imported under another name; a look-alike `urlopen` of another object is not it.
    const aliased = detect(requestWithoutTimeout, {
      'buildbot/buildbot_net_usage_data.py': [
        'from urllib import request as urllib_request',
        'import urllib.request as ur',
        'def send(req, browser):',
        '    urllib_request.urlopen(req)',
        '    ur.urlopen(req, timeout=10)',
        '    ur.urlopen(req)',
        '    browser.urlopen(req)',
      ].join('\n'),
    });
    assert.deepEqual(
      aliased.map((f) => f.evidence[0]?.startLine),
      [4, 6],
    );
    assert.match(aliased[0]?.message ?? '', /`urllib_request\.urlopen\(…\)` has no timeout/);
  });

  it('flags calls on a plain requests.Session() the file creates: a local, a with block, an attribute', () => {
    const findings = detect(requestWithoutTimeout, {
      'app/sync.py': SYNC,
    });
    assert.deepEqual(
      findings.map((f) => f.evidence[0]?.startLine),
      [6, 10, 18],
    );
    assert.match(findings[0]?.message ?? '', /`s` is a plain `requests\.Session\(\)`/);
    // The done check reads the session's call, not `self.cache.get(url)` beside it.
    withCheckTree({ 'app/sync.py': SYNC }, (tree) => {
      assert.deepEqual(
        findings.map((f) => tree.run(f.doneCheck ?? 'true')),
        [1, 1, 1],
      );
      tree.write(
        'app/sync.py',
        SYNC.replace('"application/json"})', '"application/json"}, timeout=30)').replace(
          'or self.session.get(url)',
          'or self.session.get(url, timeout=30)',
        ),
      );
      assert.deepEqual(
        findings.map((f) => tree.run(f.doneCheck ?? 'true')),
        [0, 1, 0],
      );
    });
  });

  it('leaves sessions given a default timeout, other objects and unknown receivers alone', () => {
    const findings = detect(requestWithoutTimeout, {
      'app/adapter.py': [
        'import requests',
        'from app.http import TimeoutHTTPAdapter',
        's = requests.Session()',
        's.mount("https://", TimeoutHTTPAdapter(timeout=5))',
        's.get(URL)',
      ].join('\n'),
      'app/partial.py': [
        'import functools, requests',
        's = requests.Session()',
        's.request = functools.partial(s.request, timeout=5)',
        's.get(URL)',
      ].join('\n'),
      'app/other.py': [
        'import requests',
        'def run(session, cache):',
        '    s = make_session()',
        '    s.get(URL)',
        '    session.get(URL)',
        '    cache.get(URL)',
        '    requests.get(URL, timeout=5)',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => `${f.evidence[0]?.file}:${f.evidence[0]?.startLine}`),
      [],
    );
  });

  it('leaves calls with a timeout, options passed through, and files with a default timeout alone', () => {
    const findings = detect(requestWithoutTimeout, {
      'app/timed.py': CLIENT.replace('{user_id}")', '{user_id}", timeout=10)').replace(
        '        headers=',
        '        timeout=(3.05, 30),\n        headers=',
      ),
      'app/wrapper.py': [
        'import requests',
        'def call(method, url, **options):',
        '    return requests.request(method, url, **options)',
      ].join('\n'),
      'app/positional.py': [
        'import urllib.request',
        'def read(url):',
        '    return urllib.request.urlopen(url, None, 15).read()',
      ].join('\n'),
      'app/defaults.py': [
        'import socket',
        'import requests',
        'socket.setdefaulttimeout(20)',
        'requests.get(URL)',
      ].join('\n'),
      // Not the library: a local name, another module's urlopen.
      'app/local.py': ['requests = RequestQueue()', 'requests.get(0)'].join('\n'),
      'app/opener.py': ['from mylib.net import urlopen', 'urlopen(URL)'].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => `${f.evidence[0]?.file}:${f.evidence[0]?.startLine}`),
      [],
    );
  });

  it('is gated on the call text, and downgrades calls in tests', () => {
    assert.equal(passesTextGate(requestWithoutTimeout, 'python', 'import requests\nrequests.get(url)'), true);
    assert.equal(passesTextGate(requestWithoutTimeout, 'python', 'import requests\nsession.get(url)'), false);
    const [finding] = detect(requestWithoutTimeout, { 'tests/test_client.py': CLIENT });
    assert.equal(finding?.confidence, 'LOW');
  });

  it('merges the checks of several calls into one command that passes once every call has a timeout', () => {
    const files = { 'app/client.py': CLIENT, 'app/feed.py': FEED };
    const findings = detect(requestWithoutTimeout, files);
    const checks = findings.map((f) => f.doneCheck ?? '');
    const merged = requestWithoutTimeout.mergeDoneChecks?.(checks) ?? '';
    assert.equal(merged.match(/python3 -c/g)?.length, 1, merged);
    assert.equal(requestWithoutTimeout.mergeDoneChecks?.([...checks, 'grep -q x y']), undefined);
    withCheckTree(files, (tree) => {
      assert.equal(tree.run(merged), 1);
      tree.write('app/feed.py', FEED_FIXED);
      assert.equal(tree.run(merged), 1, 'the client calls still have none');
      tree.write('app/client.py', CLIENT_FIXED);
      assert.equal(tree.run(merged), 0);
    });
  });

  it('gives done checks that pass once each call has a timeout, also on a later line of the call', () => {
    const files = { 'app/client.py': CLIENT, 'app/feed.py': FEED };
    const findings = detect(requestWithoutTimeout, files);
    assert.equal(findings.length, 4);
    withCheckTree(files, (tree) => {
      for (const finding of findings)
        assert.equal(tree.run(finding.doneCheck ?? 'true'), 1, finding.doneCheck);
      // Fixing one call leaves the other's check failing.
      tree.write(
        'app/client.py',
        CLIENT.replace('data=json.dumps(event),', 'data=json.dumps(event),\n        timeout=HTTP_TIMEOUT,'),
      );
      assert.deepEqual(
        findings.map((f) => tree.run(f.doneCheck ?? 'true')),
        [1, 0, 1, 1],
      );
      // A call laid out anew but still without a timeout is no fix, though its first line changed.
      tree.write(
        'app/feed.py',
        FEED.replace(
          'urllib.request.urlopen(system_id)',
          'urllib.request.urlopen(\n        system_id,\n    )',
        ),
      );
      assert.equal(tree.run(findings[3]?.doneCheck ?? 'true'), 1, findings[3]?.doneCheck);
      tree.write('app/client.py', CLIENT_FIXED);
      tree.write('app/feed.py', FEED_FIXED);
      for (const finding of findings)
        assert.equal(tree.run(finding.doneCheck ?? 'false'), 0, finding.doneCheck);
    });
  });
});
