import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiBaseUrl, parseGitHubRemote } from '../../src/publish/github-remote.ts';

describe('GitHub remotes', () => {
  it('reads owner and repository from https, ssh and scp-like URLs, Enterprise hosts included', () => {
    const cases: Record<string, string> = {
      'https://github.com/acme/shop.git': 'github.com acme/shop',
      'https://github.com/acme/shop': 'github.com acme/shop',
      'https://x-access-token:abc@github.com/acme/shop.git': 'github.com acme/shop',
      'git@github.com:acme/shop.git': 'github.com acme/shop',
      'ssh://git@github.com/acme/shop.git': 'github.com acme/shop',
      'ssh://git@ghe.corp.example:2222/platform/api.git': 'ghe.corp.example platform/api',
      'git@ghe.corp.example:platform/api': 'ghe.corp.example platform/api',
      'https://GitHub.com/Acme/Shop.js.git': 'github.com Acme/Shop.js',
    };
    for (const [url, expected] of Object.entries(cases)) {
      const parsed = parseGitHubRemote(url);
      assert.equal(parsed && `${parsed.host} ${parsed.owner}/${parsed.repo}`, expected, url);
    }
  });

  it('refuses what is not a repository URL', () => {
    for (const url of [
      '/srv/git/shop.git',
      '../shop',
      'C:\\repos\\shop',
      'https://gitlab.com/a/b/c.git',
      '',
    ]) {
      assert.equal(parseGitHubRemote(url), undefined, url);
    }
  });

  it('uses GITHUB_API_URL when set, else the public API or the Enterprise host', () => {
    const ghe = { host: 'ghe.corp.example', owner: 'a', repo: 'b' };
    const dotcom = { host: 'github.com', owner: 'a', repo: 'b' };
    assert.equal(apiBaseUrl(dotcom, {}), 'https://api.github.com');
    assert.equal(apiBaseUrl(ghe, {}), 'https://ghe.corp.example/api/v3');
    assert.equal(
      apiBaseUrl(ghe, { GITHUB_API_URL: 'https://ghe.corp.example/api/v3/' }),
      'https://ghe.corp.example/api/v3',
    );
  });
});
