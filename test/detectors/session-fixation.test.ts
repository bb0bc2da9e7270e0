import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sessionFixation } from '../../src/detectors/security/session-fixation.ts';
import { detect } from '../helpers/detector.ts';

describe('security/session-fixation', () => {
  it('flags a login that records the user on the session it arrived with (NodeGoat, Etherpad basic auth)', () => {
    const findings = detect(sessionFixation, {
      'app/routes/session.js': [
        'function SessionHandler(db) {',
        '  this.handleLoginRequest = (req, res, next) => {',
        '    const { userName, password } = req.body;',
        '    userDAO.validateLogin(userName, password, (err, user) => {',
        '      if (err) return next(err);',
        '      // Fix for A2-1: regenerate the session on login:',
        '      // req.session.regenerate(() => { req.session.userId = user._id; });',
        '      req.session.userId = user._id;',
        '      return res.redirect("/dashboard");',
        '    });',
        '  };',
        '  this.handleSignup = (req, res, next) => {',
        '    userDAO.addUser(req.body.userName, req.body.password, (err, user) => {',
        '      req.session.regenerate(() => {',
        '        req.session.userId = user._id;',
        '        return res.redirect("/dashboard");',
        '      });',
        '    });',
        '  };',
        '}',
      ].join('\n'),
      'node/hooks/express/webaccess.ts': [
        'export const checkAccess = async (req, res, next) => {',
        '  const { password } = settings.users[ctx.username] ?? {};',
        '  if (password !== ctx.password) return res.status(401).end();',
        '  req.session.user = { ...settings.users[ctx.username] };',
        '  next();',
        '};',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['app/routes/session.js', 8, 'MED'],
        ['node/hooks/express/webaccess.ts', 4, 'MED'],
      ],
    );
    assert.match(
      findings[0]?.message ?? '',
      /`req\.session\.userId = …` signs the user in on the session they arrived with/,
    );
  });

  it('leaves logins that regenerate the session, sign-outs and fields that are not the user alone', () => {
    const findings = detect(sessionFixation, {
      'routes/auth.js': [
        'exports.login = (req, res) => {',
        '  bcrypt.compare(req.body.password, user.hash, (err, ok) => {',
        '    if (!ok) { req.session.error = "invalid password"; return res.redirect("/login"); }',
        '    req.session.regenerate((err) => {',
        '      req.session.user = user;',
        '      res.redirect("/");',
        '    });',
        '  });',
        '};',
      ].join('\n'),
      'routes/logout.js': [
        'exports.logout = (req, res) => {',
        '  if (req.body.password) audit("password change abandoned");',
        '  req.session.user = null;',
        '  req.session.userId = undefined;',
        '  res.redirect("/");',
        '};',
      ].join('\n'),
      'routes/prefs.js': [
        'exports.save = (req, res) => {',
        '  if (!checkPassword(req.body.password)) return res.sendStatus(403);',
        '  req.session.theme = req.body.theme;',
        '  req.session.locale = "en";',
        '};',
      ].join('\n'),
      'routes/index.js': [
        'module.exports = function (app) {',
        '  app.post("/password", (req, res) => changePassword(req.user, req.body.password));',
        '  app.post("/profile", (req, res) => {',
        '    req.session.user = { ...req.session.user, name: req.body.name };',
        '  });',
        '};',
      ].join('\n'),
      'meshcentral/webserver.js': [
        "app.use(require('cookie-session')(sessionOptions));",
        'function handleLogin(req, res) {',
        '  if (!checkUserPassword(req.body.username, req.body.password)) return res.sendStatus(401);',
        '  req.session.userid = user._id;',
        '}',
      ].join('\n'),
      'routes/cart.js': ['exports.add = (req, res) => {', '  req.session.userId = req.user.id;', '};'].join(
        '\n',
      ),
    });
    assert.deepEqual(findings, []);
    // The app's manifest says sessions live in the cookie: nothing to fix in advance.
    const login = [
      'exports.login = (req, res) => {',
      '  if (!checkPassword(req.body.password)) return res.sendStatus(401);',
      '  req.session.userId = user.id;',
      '};',
    ].join('\n');
    const manifest = (deps: string) => `{ "name": "app", "dependencies": { ${deps} } }`;
    assert.equal(
      detect(sessionFixation, {
        'package.json': manifest('"cookie-session": "^2.1.0"'),
        'routes/login.js': login,
      }).length,
      0,
    );
    assert.equal(
      detect(sessionFixation, {
        'package.json': manifest('"express-session": "^1.18.0"'),
        'routes/login.js': login,
      }).length,
      1,
    );
  });
});
