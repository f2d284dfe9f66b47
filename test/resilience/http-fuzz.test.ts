// Servers never die from a request. Raw TCP against the real `serve` process and the webhook
// receiver: malformed request lines, targets ("//", absolute, "*", bad escapes), headers,
// cookies (bad %-escapes), WebSocket upgrades to odd targets, aborted bodies, slow clients and
// seeded random mutations. Afterwards both still answer, and serve's server process is the same
// one (it never needed the supervisor). Fast subset always; RESILIENCE_FULL=1 for the full run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeToast, toastOrder } from '../fakes/toast-api';
import { harness, invoiceCount, type Harness } from '../capture/connectors/harness';
import { ToastConnector } from '../../main/sources/toast/connector';
import { ToastConfigSchema, WebhookConfigSchema } from '../../main/capture/config';
import { Poller } from '../../main/capture/polling/poller';
import { secretName } from '../../main/capture/tokens';
import { WebhookReceiver } from '../../main/capture/webhooks/receiver';
import { toastHandler } from '../../main/sources/toast/webhook';
import { tempDir } from '../support/fixture';
import { FULL, invoke, raw, rng, scale, startServe, type RawResult, type ServeProcess } from './support';

const UPGRADE = 'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';

/** Hand-written hostile requests; `host` is the right Host header for the target server. */
function cases(host: string, post: string): { name: string; parts: string[]; abort?: boolean; pauseMs?: number }[] {
  const H = `Host: ${host}\r\n`;
  return [
    { name: 'upgrade to //', parts: [`GET // HTTP/1.1\r\n${H}${UPGRADE}\r\n`] },
    { name: 'upgrade to //evil/api/events', parts: [`GET //evil/api/events HTTP/1.1\r\n${H}${UPGRADE}\r\n`] },
    { name: 'upgrade with a malformed cookie', parts: [`GET /api/events HTTP/1.1\r\n${H}Cookie: tpos_session=%E0%A4%A\r\n${UPGRADE}\r\n`] },
    { name: 'upgrade with a lone % cookie', parts: [`GET /api/events HTTP/1.1\r\n${H}Cookie: a=%; tpos_session=%zz.%\r\n${UPGRADE}\r\n`] },
    { name: 'upgrade to a bad escape', parts: [`GET /%E0%A4%A HTTP/1.1\r\n${H}${UPGRADE}\r\n`] },
    { name: 'upgrade without a key', parts: [`GET /api/events HTTP/1.1\r\n${H}Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n`] },
    { name: 'upgrade by POST', parts: [`POST /api/events HTTP/1.1\r\n${H}${UPGRADE}Content-Length: 0\r\n\r\n`] },
    { name: 'GET //', parts: [`GET // HTTP/1.1\r\n${H}\r\n`] },
    { name: 'GET //x/y?z', parts: [`GET //x/y?z HTTP/1.1\r\n${H}\r\n`] },
    { name: 'absolute-form target', parts: [`GET http://evil.example/ HTTP/1.1\r\n${H}\r\n`] },
    { name: 'asterisk target', parts: [`OPTIONS * HTTP/1.1\r\n${H}\r\n`] },
    { name: 'bad escape target', parts: [`GET /%zz%E0%A4%A HTTP/1.1\r\n${H}\r\n`] },
    { name: 'dot-dot target', parts: [`GET /../../../etc/passwd HTTP/1.1\r\n${H}\r\n`] },
    { name: 'malformed cookie on GET', parts: [`GET / HTTP/1.1\r\n${H}Cookie: tpos_session=%E0%A4%A\r\n\r\n`] },
    {
      name: 'malformed cookie on the API',
      parts: [
        `POST /api/invoke/app.state HTTP/1.1\r\n${H}Cookie: %=%; tpos_session=%\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
      ],
    },
    { name: 'garbage request line', parts: ['GARBAGE\r\n\r\n'] },
    { name: 'NUL in the request line', parts: [`GET /\0 HTTP/1.1\r\n${H}\r\n`] },
    { name: 'HTTP/9.9', parts: [`GET / HTTP/9.9\r\n${H}\r\n`] },
    { name: 'no Host', parts: ['GET / HTTP/1.1\r\n\r\n'] },
    { name: 'two Hosts', parts: [`GET / HTTP/1.1\r\n${H}${H}\r\n`] },
    { name: 'header without a colon', parts: [`GET / HTTP/1.1\r\n${H}NoColonHere\r\n\r\n`] },
    { name: 'huge header', parts: [`GET / HTTP/1.1\r\n${H}X-Big: ${'a'.repeat(70_000)}\r\n\r\n`] },
    { name: 'huge target', parts: [`GET /${'a'.repeat(100_000)} HTTP/1.1\r\n${H}\r\n`] },
    { name: 'negative Content-Length', parts: [`${post}${H}Content-Type: application/json\r\nContent-Length: -5\r\n\r\n{}`] },
    {
      name: 'conflicting Content-Lengths',
      parts: [`${post}${H}Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 9\r\n\r\n{}`],
    },
    {
      name: 'CL and TE together',
      parts: [`${post}${H}Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`],
    },
    {
      name: 'bad chunk size',
      parts: [`${post}${H}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`],
    },
    {
      name: 'aborted body (CL 100000, 1000 sent)',
      parts: [`${post}${H}Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n${'x'.repeat(1000)}`],
      abort: true,
    },
    {
      name: 'aborted chunked body',
      parts: [`${post}${H}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n${'y'.repeat(500)}`],
      abort: true,
    },
    { name: 'slow headers', parts: [...`GET / HTTP/1.1\r\n${H}\r\n`.match(/.{1,6}/gs)!], pauseMs: 20 },
    {
      name: 'slow body',
      parts: [`${post}${H}Content-Type: application/json\r\nContent-Length: 30\r\n\r\n`, '{"a":', '1', '}', ' '.repeat(24)],
      pauseMs: 100,
    },
    { name: 'pipelined junk after a request', parts: [`GET / HTTP/1.1\r\n${H}\r\n\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03`] },
    { name: 'TLS hello on plain HTTP', parts: ['\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\x00\x00'] },
  ];
}

/** A valid request with seeded random damage: bytes flipped, cut, duplicated, or junk inserted. */
function mutant(random: () => number, host: string, post: string): { parts: string[]; abort: boolean } {
  const seeds = [
    `GET /api/events HTTP/1.1\r\nHost: ${host}\r\nCookie: tpos_session=abc%41.def\r\n${UPGRADE}\r\n`,
    `${post}Host: ${host}\r\nContent-Type: application/json\r\nCookie: tpos_session=x\r\nContent-Length: 14\r\n\r\n{"date":"x%"}`,
    `GET /?token=%41%zz HTTP/1.1\r\nHost: ${host}\r\nCookie: a=b; c=%E0\r\n\r\n`,
  ];
  let s = [...seeds[Math.floor(random() * seeds.length)]!];
  const junk = ['/', '%', '\0', '\r\n', ':', ';', '=', '/\u00ff', '%E0%A4', ' ', '\x1b', '9999999999', '//', '\t'];
  const edits = 1 + Math.floor(random() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * s.length);
    const op = random();
    if (op < 0.3) s.splice(at, 1 + Math.floor(random() * 3));
    else if (op < 0.6) s.splice(at, 0, ...junk[Math.floor(random() * junk.length)]!);
    else if (op < 0.8) s[at] = String.fromCharCode(Math.floor(random() * 256));
    else s = s.slice(0, at);
  }
  return { parts: [s.join('')], abort: random() < 0.2 };
}

let serve: ServeProcess;
let fake: FakeToast;
let h: Harness;
let rx: WebhookReceiver;
let rxPort: number;

beforeAll(async () => {
  serve = await startServe(tempDir('tpos-fuzz-'));
  fake = new FakeToast();
  await fake.start();
  h = harness();
  h.secrets.set(secretName('toast', 'client_secret'), fake.clientSecret);
  h.secrets.set(secretName('toast', 'webhook_secret'), 'whsec');
  const c = new ToastConnector(
    ToastConfigSchema.parse({ vendor: 'toast', baseUrl: fake.url, clientId: fake.clientId, restaurantGuid: fake.restaurantGuid }),
    h.deps,
  );
  rx = new WebhookReceiver(
    WebhookConfigSchema.parse({ enabled: true, port: 0 }),
    new Map([['toast', { handler: toastHandler(c.config, h.secrets), poller: new Poller(h.db, h.state, c.source, h.ingest) }]]),
    h.state,
  );
  rxPort = (await rx.start()).port;
}, 60_000);

afterAll(async () => {
  await rx?.stop();
  await fake?.stop();
  h?.close();
  expect(await serve?.stop()).toBe(0);
}, 30_000);

async function serveAnswers(): Promise<void> {
  const r = await invoke(serve, 'app.state', {});
  expect(r, serve.output().slice(-2000)).toMatchObject({ status: 200, json: { ok: true } });
}

async function receiverAnswers(id: string): Promise<void> {
  fake.putOrder(toastOrder(id));
  const ok = await fake.deliver(`http://127.0.0.1:${rxPort}/webhooks/toast`, fake.orderUpdated(id, `evt-${id}`), { secret: 'whsec' });
  expect(ok.status, ok.body).toBe(200);
}

describe(`raw-HTTP fuzz (${FULL ? 'full' : 'fast'} run)`, () => {
  it('serve: every hand-written hostile request gets an HTTP answer or a clean close; the same server process answers afterwards', async () => {
    const host = `127.0.0.1:${serve.port}`;
    const results: [string, RawResult][] = [];
    for (const c of cases(host, 'POST /api/invoke/app.state HTTP/1.1\r\n')) {
      results.push([c.name, await raw(serve.port, c.parts, { abort: c.abort, pauseMs: c.pauseMs })]);
    }
    const byName = Object.fromEntries(results);
    expect(byName['upgrade to //']!.status).toBe(400);
    expect(byName['upgrade with a malformed cookie']!.status).toBe(401);
    expect(byName['GET //']!.status).toBe(400);
    expect(byName['malformed cookie on GET']!.status).toBe(401);
    expect(byName['garbage request line']!.status).toBe(400);
    expect(byName['huge header']!.status).toBe(431);
    expect(byName['slow headers']!.status).toBe(401); // answered, just slowly sent
    // Nothing answered 5xx: hostile input is the client's fault, and nothing crashed.
    for (const [name, r] of results) expect(r.status === null || r.status < 500, `${name}: ${r.head}`).toBe(true);
    await serveAnswers();
    expect(serve.workers()).toHaveLength(1);
    expect(serve.output()).not.toMatch(/stopped unexpectedly|fatal/);
  });

  it('the webhook receiver: aborted bodies, GET //, bad targets and headers; it still takes a signed event', async () => {
    const host = `127.0.0.1:${rxPort}`;
    const results: [string, RawResult][] = [];
    for (const c of cases(host, 'POST /webhooks/toast HTTP/1.1\r\n')) {
      results.push([c.name, await raw(rxPort, c.parts, { abort: c.abort, pauseMs: c.pauseMs })]);
    }
    const byName = Object.fromEntries(results);
    expect(byName['GET //']!.status).toBe(404);
    expect(byName['garbage request line']!.status).toBe(400);
    for (const [name, r] of results) expect(r.status === null || r.status < 500, `${name}: ${r.head}`).toBe(true);
    expect(rx.log.some((l) => /aborted/.test(l.message))).toBe(true);
    await receiverAnswers('FZ-1');
    expect(invoiceCount(h, 'toast')).toBe(1);
  });

  it('slow clients holding sockets do not stop others from being answered', async () => {
    const held = Array.from({ length: scale(20, 200) }, (_, i) =>
      raw(i % 2 ? serve.port : rxPort, ['GET / HTTP/1.1\r\n', 'X-Slow: 1\r\n', 'X-Slow: 2\r\n'], { pauseMs: 400, timeoutMs: 2000 }),
    );
    await serveAnswers();
    await receiverAnswers('FZ-2');
    await Promise.all(held);
  });

  it(
    `${scale(200, 3000)} seeded random mutations per server; both still answer`,
    async () => {
      const n = scale(200, 3000);
      const random = rng(12);
      let answered = 0;
      const BATCH = 25; // concurrent clients: incomplete requests wait out their timeout together
      for (let start = 0; start < n; start += BATCH) {
        await Promise.all(
          Array.from({ length: Math.min(BATCH, n - start) }, async (_, k) => {
            const i = start + k;
            const toServe = i % 2 === 0;
            const port = toServe ? serve.port : rxPort;
            const m = mutant(
              random,
              `127.0.0.1:${port}`,
              toServe ? 'POST /api/invoke/app.state HTTP/1.1\r\n' : 'POST /webhooks/toast HTTP/1.1\r\n',
            );
            const r = await raw(port, m.parts, { abort: m.abort, timeoutMs: 1000 });
            if (r.status !== null) answered++;
            expect(r.status === null || r.status < 500, `case ${i}: ${JSON.stringify(m.parts[0]!.slice(0, 200))} → ${r.head}`).toBe(true);
          }),
        );
      }
      process.stdout.write(`http fuzz: ${n} random requests, ${answered} answered with a status, the rest closed\n`);
      await serveAnswers();
      await receiverAnswers('FZ-3');
      expect(serve.workers()).toHaveLength(1);
    },
    FULL ? 600_000 : 120_000,
  );
});
