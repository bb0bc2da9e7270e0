import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { urlSubstringCheck } from '../../src/detectors/security/url-substring-check.ts';
import { detect } from '../helpers/detector.ts';

describe('security/url-substring-check', () => {
  it('flags URLs trusted by their text (Juice Shop redirect allow-list)', () => {
    const findings = detect(urlSubstringCheck, {
      'lib/insecurity.ts': [
        'export const redirectAllowlist = new Set([',
        "  'https://github.com/juice-shop/juice-shop',",
        "  'http://shop.spreadshirt.com/juiceshop',",
        '])',
        'export const isRedirectAllowed = (url: string) => {',
        '  let allowed = false',
        '  for (const allowedUrl of redirectAllowlist) {',
        '    allowed = allowed || url.includes(allowedUrl)',
        '  }',
        '  return allowed',
        '}',
        "const TRUSTED = ['https://pay.example.com', 'https://auth.example.com'];",
        'export const trusted = (origin: string) => TRUSTED.some((t) => origin.startsWith(t));',
        "export const isTrustedReferer = (req) => req.headers.referer.indexOf('docs.example.org') !== -1;",
        "export function back(req, res) { if (req.query.next.endsWith('example.com')) res.redirect(req.query.next); }",
        "export const isAllowedF = (url: string) => url.indexOf('https://example.com') === 0;",
      ].join('\n'),
      'app/views.py': [
        'def safe_next(next_url):',
        "    if 'example.com' in next_url:",
        '        return next_url',
        "    return '/' if not next_url.startswith('https://example.com') else next_url",
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['lib/insecurity.ts', 8, 'MED'],
        ['lib/insecurity.ts', 13, 'MED'],
        ['lib/insecurity.ts', 14, 'MED'],
        ['lib/insecurity.ts', 15, 'MED'],
        ['lib/insecurity.ts', 16, 'MED'],
        ['app/views.py', 2, 'MED'],
        ['app/views.py', 4, 'MED'],
      ],
    );
    assert.match(
      findings[0]?.message ?? '',
      /`url` is trusted when it contains `https:\/\/github\.com\/juice-shop\/juice-shop` \(one of 2 allowed URLs\), but `https:\/\/attacker\.test\/\?github\.com` contains it too/,
    );
    assert.match(
      findings[1]?.message ?? '',
      /`https:\/\/pay\.example\.com\.attacker\.test` starts with it too/,
    );
  });

  it('leaves exact comparisons, prefixes that end the host, subdomain suffixes and non-URL text alone', () => {
    const findings = detect(urlSubstringCheck, {
      'src/check.ts': [
        "export const isAllowedA = (url: string) => url.startsWith('https://example.com/');",
        "export const isAllowedB = (hostname: string) => hostname.endsWith('.example.com') || hostname === 'example.com';",
        "export const isAllowedC = (message: string) => message.includes('example.com');",
        "export const isAllowedD = (url: string) => url.includes('/api/');",
        "export const isAllowedE = (file: string) => file.endsWith('index.html');",
        "export const isAllowedF = (url: string) => url.indexOf('https://example.com/') === 0;",
        "export const isAllowedH = (url: string) => url.indexOf('example.com') === -1;",
        "const EXTENSIONS = ['.png', '.jpg'];",
        'export const isAllowedG = (url: string) => EXTENSIONS.some((x) => url.endsWith(x));',
      ].join('\n'),
      'sources/google.py': [
        'def parse(q):',
        "    if q.url.startswith('https://books.google'):",
        '        return q',
      ].join('\n'),
      'sources/amazon.py': [
        'def parse_details_page(url, raw, root):',
        "    if 'amazon.com.br' in url:",
        "        raw = raw.decode('utf-8')",
        '    for a in root.xpath("//a"):',
        "        if 'black-curtain-redirect.html' in a.get('href'):",
        "            log('Black curtain redirect found, following')",
        '    return raw',
      ].join('\n'),
      'app/ok.py': [
        'from urllib.parse import urlsplit',
        'def ok(url):',
        "    return urlsplit(url).hostname == 'example.com' or 'debug' in url",
      ].join('\n'),
    });
    assert.deepEqual(findings, []);
  });
});
