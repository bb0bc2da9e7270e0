import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ssrf } from '../../src/detectors/security/ssrf.ts';
import { detect, linesAndConfidence } from '../helpers/detector.ts';

describe('security/ssrf', () => {
  it('flags server requests to a URL from request data (Juice Shop profile image upload)', () => {
    const findings = detect(ssrf, {
      'routes/profileImageUrlUpload.ts': [
        "import { type Request, type Response } from 'express';",
        'export function profileImageUrlUpload() {',
        '  return async (req: Request, res: Response) => {',
        '    const url = req.body.imageUrl;',
        '    const response = await fetch(url);',
        '    res.send(await response.arrayBuffer());',
        '  };',
        '}',
      ].join('\n'),
      'src/webhooks.js': [
        "const axios = require('axios');",
        "app.post('/hooks', async (req, res) => {",
        '  await axios.post(req.body.callback, { ok: true });',
        "  await axios({ method: 'get', url: 'https://' + req.query.host + '/status' });",
        '  request',
        '    .get(req.body.imageUrl)',
        "    .on('error', () => {});",
        '  res.end();',
        '});',
      ].join('\n'),
      'app/views.py': [
        'import requests',
        'from urllib.request import urlopen',
        'def preview(request):',
        "    page = requests.get(request.GET['url'], timeout=5)",
        "    raw = urlopen(request.POST.get('feed'))",
        "    other = requests.request('GET', url=request.args.get('u'))",
        '    return page.text',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['routes/profileImageUrlUpload.ts', 5, 'MED'],
        ['src/webhooks.js', 3, 'MED'],
        ['src/webhooks.js', 4, 'MED'],
        ['src/webhooks.js', 5, 'MED'],
        ['app/views.py', 4, 'MED'],
        ['app/views.py', 5, 'MED'],
        ['app/views.py', 6, 'MED'],
      ],
    );
    assert.match(
      findings[0]?.message ?? '',
      /`fetch\(\)` requests a URL taken from request data \(`req\.body\.imageUrl`\).*169\.254\.169\.254/,
    );
  });

  it('follows request values joined with + and no literal (NodeGoat research page)', () => {
    const findings = detect(ssrf, {
      'app/routes/research.js': [
        "const needle = require('needle');",
        'function ResearchHandler(db) {',
        '  this.displayResearch = (req, res) => {',
        '    const url = req.query.url+req.query.symbol;',
        '    return needle.get(url, (error, response) => res.end(response.body));',
        '  };',
        '}',
      ].join('\n'),
      'app/proxy.py': [
        'import requests',
        'def proxy(request):',
        "    return requests.get(request.GET['base'] + request.GET['path']).text",
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['app/routes/research.js', 5, 'MED'],
        ['app/proxy.py', 3, 'MED'],
      ],
    );
  });

  it('leaves requests whose host is fixed, URLs not from the request, and browser code alone; a host check makes it a lead', () => {
    const findings = detect(ssrf, {
      'src/api.ts': [
        "app.get('/users/:id', async (req, res) => {",
        '  const user = await fetch(`https://api.example.com/users/${req.params.id}`);',
        '  const orders = await axios.get(`${config.ordersApi}/orders?user=${req.query.user}`);',
        '  const upstream = await fetch(UPSTREAM + req.url);',
        "  const status = await got('https://status.example.com/' + req.params.service);",
        '  const fixed = await fetch(process.env.HEALTH_URL);',
        '  res.json({ user, orders, upstream, status, fixed });',
        '});',
        "app.post('/import', async (req, res) => {",
        '  const target = new URL(req.body.url);',
        '  if (!ALLOWED_HOSTS.includes(target.hostname)) return res.status(400).end();',
        '  res.json(await (await fetch(req.body.url)).json());',
        '});',
      ].join('\n'),
      // Browser code: the user's own browser fetching what they typed is no server request.
      'src/components/Preview.tsx': 'export const load = (url: string) => fetch(url);\n',
      'app/client.py': [
        'import requests',
        'def health(request):',
        "    return requests.get(settings.BASE_URL + '/health/' + request.GET['name'])",
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [[12, 'LOW']]);
    assert.match(findings[0]?.message ?? '', /after a check of where it points/);
  });
});
