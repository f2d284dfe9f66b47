// OAuth token endpoints answering badly (main/capture/oauth.ts tokenResponse, through the real
// connector HTTP client against a loopback token endpoint that answers as RFC 6749 §5.2 and the
// vendors document): each refusal becomes a ConnectorError of the right kind, in the vendor's own
// words; nothing half-read becomes a token. Also the `@FILE`/`env:` rule for secret flags.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../main/capture/http';
import { ConnectorError } from '../../../main/capture/errors';
import { cannotRenew, tokenResponse } from '../../../main/capture/oauth';
import { secretArg } from '../../../main/cli/secret-arg';
import { UsageError } from '../../../main/cli/errors';
import { tempDir } from '../../support/fixture';

// The next answer of the token endpoint: [status, content-type, body].
let next: [number, string, string] = [200, 'application/json', '{}'];
let server: Server;
let url: string;
const http = new HttpClient(5000);
const NOW = 1_795_000_000_000;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(next[0], { 'content-type': next[1] });
      res.end(next[2]);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/token`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function token(answer: [number, string, string], previousRefresh?: string) {
  next = answer;
  const res = await http.request({ method: 'POST', url, form: { grant_type: 'refresh_token', refresh_token: 'r-1' } });
  return tokenResponse('square', res, NOW, previousRefresh);
}
async function refusal(answer: [number, string, string]): Promise<ConnectorError> {
  const e = await token(answer).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ConnectorError);
  return e as ConnectorError;
}
const json = (status: number, body: unknown): [number, string, string] => [status, 'application/json', JSON.stringify(body)];

describe('token endpoint refusals', () => {
  it("invalid_grant (400), 401 and 403 are bad credentials in the endpoint's words", async () => {
    const e = await refusal(json(400, { error: 'invalid_grant', error_description: 'The refresh token has been revoked.' }));
    expect(e.problem).toBe('bad_credentials');
    expect(e.message).toBe('square: the token endpoint refused the credentials: The refresh token has been revoked. (HTTP 400)');
    expect((await refusal(json(401, { error: 'invalid_client' }))).message).toMatch(
      /refused the credentials: invalid_client \(HTTP 401\)$/,
    );
    expect((await refusal([403, 'text/plain', 'Forbidden'])).message).toMatch(/refused the credentials: Forbidden \(HTTP 403\)$/);
  });

  it('429 is rate limited; a 5xx is a vendor error naming the status', async () => {
    expect((await refusal(json(429, { error: 'slow_down' }))).problem).toBe('rate_limited');
    const e = await refusal([503, 'text/html', '<html>Service Unavailable</html>']);
    expect(e.problem).toBe('vendor_error');
    expect(e.message).toBe('square: token endpoint failed (HTTP 503)');
  });

  it('a 200 that is not a token (HTML, no access_token, an empty one) is a bad response quoting what came', async () => {
    const html = await refusal([200, 'text/html', '<html>Log in to continue</html>']);
    expect(html.problem).toBe('bad_response');
    expect(html.message).toBe('square: unexpected token response (HTTP 200): <html>Log in to continue</html>');
    expect((await refusal(json(200, { token_type: 'bearer' }))).problem).toBe('bad_response');
    expect((await refusal(json(200, { access_token: '' }))).problem).toBe('bad_response');
    expect((await refusal(json(302, { access_token: 'a' }))).message).toMatch(/unexpected token response \(HTTP 302\)/);
  });

  it('an expiry that cannot be read is refused rather than guessed', async () => {
    const e = await refusal(json(200, { access_token: 'a', expires_at: 'next week' }));
    expect(e.message).toBe('square: token response has an unreadable expiry');
    expect((await refusal(json(200, { access_token: 'a', expires_in: 'soon' }))).problem).toBe('bad_response');
  });
});

describe('token answers that are read', () => {
  it('expires_at (ISO), expires_in (seconds, number or text), expires (unix seconds), or none', async () => {
    expect(await token(json(200, { access_token: 'a', refresh_token: 'r-2', expires_at: '2026-12-01T00:00:00Z' }))).toEqual({
      accessToken: 'a',
      refreshToken: 'r-2',
      expiresAt: Date.parse('2026-12-01T00:00:00Z'),
    });
    expect((await token(json(200, { access_token: 'a', expires_in: '3600' }))).expiresAt).toBe(NOW + 3_600_000);
    expect((await token(json(200, { access_token: 'a', expires: 1_795_003_600 }))).expiresAt).toBe(1_795_003_600_000);
    expect(await token(json(200, { access_token: 'a' }))).toEqual({ accessToken: 'a' });
  });

  it('a refresh answer without a new refresh token keeps the previous one', async () => {
    expect(await token(json(200, { access_token: 'a', refresh_token: '' }), 'r-1')).toEqual({ accessToken: 'a', refreshToken: 'r-1' });
  });
});

describe('tokens that cannot be renewed', () => {
  it('no token stored says to connect; a refused personal token says to make a new one', async () => {
    const renew = cannotRenew('toast');
    await expect(renew(undefined)).rejects.toMatchObject({
      problem: 'not_configured',
      message: 'toast: no access token stored: run `taxpoynt-pos connect toast`',
    });
    await expect(renew({ accessToken: 'old' })).rejects.toMatchObject({
      problem: 'bad_credentials',
      message: 'toast: the access token was refused (revoked or expired): create a new one and connect again',
    });
  });
});

describe('secret flags: @FILE or env:NAME, never the value itself', () => {
  it('a literal value is refused naming both ways (and the environment variable when there is one)', () => {
    expect(() => secretArg('sk_live_123', '--client-secret')).toThrow(
      new UsageError(
        '--client-secret: secrets are not taken as command-line values (they show in `ps` and shell history): give --client-secret @FILE or --client-secret env:NAME',
      ),
    );
    expect(() => secretArg('x', '--api-key', 'TPOS_API_KEY')).toThrow(/, or set TPOS_API_KEY$/);
  });

  it('@FILE: the first line, trimmed; a missing or empty file is named', () => {
    const dir = tempDir();
    const f = join(dir, 'secret.txt');
    writeFileSync(f, '  s3cret  \r\nsecond line\n');
    expect(secretArg(`@${f}`, '--client-secret')).toBe('s3cret');
    writeFileSync(f, '\n');
    expect(() => secretArg(`@${f}`, '--client-secret')).toThrow(new UsageError('--client-secret: empty'));
    expect(() => secretArg(`@${join(dir, 'nope')}`, '--client-secret')).toThrow(/^--client-secret: cannot read .*nope \(ENOENT\)$/);
  });

  it('env:NAME: the variable, which must be set and not blank', () => {
    process.env.CB_TEST_SECRET = 'from-env';
    expect(secretArg('env:CB_TEST_SECRET', '--token')).toBe('from-env');
    process.env.CB_TEST_SECRET = '   ';
    expect(() => secretArg('env:CB_TEST_SECRET', '--token')).toThrow(new UsageError('--token: empty'));
    delete process.env.CB_TEST_SECRET;
    expect(() => secretArg('env:CB_TEST_SECRET', '--token')).toThrow(
      new UsageError('--token: environment variable CB_TEST_SECRET is not set'),
    );
    expect(secretArg(undefined, '--token')).toBeUndefined();
  });
});
