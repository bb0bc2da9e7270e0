// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are fixture source code that contains template literals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openRedirect } from '../../src/detectors/security/open-redirect.ts';
import { detect } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]);

describe('security/open-redirect', () => {
  it('flags Express, Koa, Next and browser redirects to request-supplied URLs', () => {
    const findings = detect(openRedirect, {
      'src/auth.ts': [
        "router.post('/login', async (req, res) => {",
        '  await signIn(req.body.email, req.body.password);',
        "  res.redirect(req.query.returnTo || '/');",
        '});',
        "router.get('/out', (ctx) => {",
        '  const target = ctx.query.url;',
        '  ctx.redirect(target);',
        '});',
        'export async function GET(request: Request) {',
        '  const { searchParams } = new URL(request.url);',
        "  return NextResponse.redirect(new URL(searchParams.get('next') ?? '/', request.url));",
        '}',
        "router.get('/go', (req, res) => {",
        '  res.writeHead(302, { Location: req.query.to });',
        '  res.end();',
        '});',
        "fastify.get('/callback', async (request, reply) => reply.redirect(request.query.returnUrl));",
        "router.get('/back', (req, res) => res.redirect(nconf.get('relative_path') + '/' + req.query.to));",
      ].join('\n'),
      'src/client/login.js': [
        'const params = new URLSearchParams(window.location.search);',
        "window.location.href = params.get('redirect');",
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/auth.ts', 3, 'HIGH'],
      ['src/auth.ts', 7, 'HIGH'],
      ['src/auth.ts', 11, 'HIGH'],
      ['src/auth.ts', 14, 'HIGH'],
      ['src/auth.ts', 17, 'HIGH'],
      ['src/auth.ts', 18, 'HIGH'],
      ['src/client/login.js', 2, 'HIGH'],
    ]);
    assert.match(findings[0]?.message ?? '', /req\.query\.returnTo/);
  });

  it('gives MED when the only check is a leading slash (`//evil.example` passes it)', () => {
    const findings = detect(openRedirect, {
      'src/login.js': [
        "app.get('/continue', (req, res) => {",
        '  const next = req.query.next;',
        "  if (!next.startsWith('/')) return res.redirect('/');",
        '  res.redirect(next);',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [['src/login.js', 4, 'MED']]);
  });

  it('gives LOW when a helper vets the URL first (its soundness is not visible here)', () => {
    const findings = detect(openRedirect, {
      'routes/redirect.ts': [
        "import * as security from '../lib/insecurity'",
        'export function performRedirect () {',
        '  return ({ query }: Request, res: Response, next: NextFunction) => {',
        '    const toUrl: string = query.to as string',
        '    if (security.isRedirectAllowed(toUrl)) {',
        '      res.redirect(toUrl)',
        '    } else {',
        '      res.status(406)',
        "      next(new Error('Unrecognized target URL for redirect: ' + toUrl))",
        '    }',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [['routes/redirect.ts', 6, 'LOW']]);
    // Directus's SAML login settles the destination through a helper named for it; a helper that
    // only joins URLs vets nothing.
    const saml = detect(openRedirect, {
      'src/auth/saml.js': [
        "router.post('/acs', async (req, res) => {",
        '  let redirect = req.body?.RelayState;',
        '  if (redirect) try {',
        '    redirect = resolveLoginRedirect(redirect, { provider: providerName });',
        '  } catch (e) {',
        "    throw new InvalidPayloadError({ reason: 'bad redirect' });",
        '  }',
        '  return res.redirect(redirect);',
        '});',
        "router.get('/go', (req, res) => {",
        '  const to = req.query.to;',
        '  const base = resolveUrl(config.publicUrl);',
        '  return res.redirect(to);',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(summary(saml), [
      ['src/auth/saml.js', 8, 'LOW'],
      ['src/auth/saml.js', 13, 'HIGH'],
    ]);
    // Saltcorn's routes name their helper in snake case; `format_url` vets nothing.
    const snake = detect(openRedirect, {
      'routes/viewedit.js': [
        'router.post("/save", isAdmin, async (req, res) => {',
        '  const redirectTarget =',
        '    req.query.on_done_redirect &&',
        '    is_relative_url("/" + req.query.on_done_redirect)',
        '      ? `/${req.query.on_done_redirect}`',
        '      : "/viewedit";',
        '  res.redirect(redirectTarget);',
        '});',
        'router.get("/go", (req, res) => {',
        '  const base = format_url(config.base);',
        '  res.redirect(req.query.to);',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(summary(snake), [
      ['routes/viewedit.js', 7, 'LOW'],
      ['routes/viewedit.js', 11, 'HIGH'],
    ]);
  });

  it('takes a helper as vetting the redirect only when it is handed the redirect (a Flask profile form)', () => {
    const findings = detect(openRedirect, {
      'app/views.py': [
        '@app.route("/profile", methods=["POST"])',
        'def save_profile():',
        '    homepage = request.form.get("homepage")',
        '    if homepage and not is_valid_url(homepage):',
        '        abort(400)',
        '    current_user.homepage = homepage',
        '    return redirect(request.args.get("next"))',
        '',
        '@app.route("/login", methods=["POST"])',
        'def login():',
        '    target = request.args.get("next")',
        '    if not check_redirect_allowed(target):',
        '        target = url_for("index")',
        '    return redirect(target)',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['app/views.py', 7, 'HIGH'],
      ['app/views.py', 14, 'LOW'],
    ]);
  });

  it('leaves pinned paths, allow-listed hosts, self redirects and constants alone', () => {
    const findings = detect(openRedirect, {
      'src/safe.ts': [
        "router.get('/a/:id', (req, res) => res.redirect(`/orders/${req.params.id}`));",
        "router.get('/b', (req, res) => res.redirect('/login?next=' + encodeURIComponent(req.originalUrl)));",
        "router.get('/c', (req, res) => res.redirect(301, 'https://' + req.headers.host + req.url));",
        "router.get('/d', (req, res) => {",
        "  const url = new URL(req.query.next, 'https://shop.example');",
        "  if (url.origin !== 'https://shop.example') return res.redirect('/');",
        '  res.redirect(url.pathname);',
        '});',
        "router.get('/e', (req, res) => res.redirect(`https://docs.example.com/${req.query.page}`));",
        "router.get('/f', (req, res) => res.redirect(urlFor(req.query.page)));",
        "router.get('/g', (req, res) => res.redirect('back'));",
        "router.get('/h', (req, res) => { res.setHeader('Content-Type', req.query.type); res.end(); });",
        "location.replace('/home');",
        'const text = title.replace(/x/g, req.query.y);',
      ].join('\n'),
      // Etherpad's toolbar: the page's own address, a prefix of it, and the page the user came from.
      'static/js/pad_editbar.js': [
        "toolbar.registerCommand('showTimeSlider', () => {",
        '  document.location = `${document.location.pathname}/timeslider`;',
        '});',
        "toolbar.registerCommand('timeslider_returnToPad', (cmd) => {",
        '  if (document.referrer.length > 0) {',
        '    document.location = document.referrer;',
        '  } else {',
        '    document.location = document.location.href',
        "        .substring(0, document.location.href.lastIndexOf('/'));",
        '  }',
        '});',
        'window.location.href = window.location.href;',
      ].join('\n'),
      // NodeBB: the configured base path, then a fixed segment, then the request's part.
      'src/controllers/accounts/profile.js': [
        'profileController.get = function (req, res, callback) {',
        '  var lowercaseSlug = req.params.userslug.toLowerCase();',
        "  if (req.params.userslug !== lowercaseSlug) return res.redirect(nconf.get('relative_path') + '/user/' + lowercaseSlug);",
        '  if (req.query.tab) return res.redirect(`${config.baseUrl}/settings?tab=${req.query.tab}`);',
        '};',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
  });

  it('flags Flask, Django and Starlette redirects to request data (Python)', () => {
    const findings = detect(openRedirect, {
      'app/views.py': [
        'from flask import request, redirect, url_for',
        '',
        "@app.route('/login', methods=['POST'])",
        'def login():',
        "    return redirect(request.args.get('next') or url_for('index'))",
        '',
        'def logout_view(request):',
        "    return HttpResponseRedirect(request.GET['next'])",
        '',
        'async def callback(request):',
        "    return RedirectResponse(url=request.query_params['to'])",
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['app/views.py', 5, 'HIGH'],
      ['app/views.py', 8, 'HIGH'],
      ['app/views.py', 11, 'HIGH'],
    ]);
  });

  it('leaves url_for, validated targets and the current URL alone (Python)', () => {
    const findings = detect(openRedirect, {
      'app/safe.py': [
        'from django.utils.http import url_has_allowed_host_and_scheme',
        'def login_view(request):',
        "    nxt = request.GET.get('next', '/')",
        '    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):',
        "        nxt = '/'",
        '    return redirect(nxt)',
        '',
        "@app.route('/item/<int:item_id>')",
        'def item(item_id):',
        "    return redirect(url_for('show', item_id=item_id))",
        '',
        'def force_https():',
        '    return redirect(request.url.replace("http://", "https://", 1))',
        '',
        "@app.route('/p')",
        'def profile():',
        '    return redirect(f"/users/{request.args[\'id\']}")',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
  });
});
