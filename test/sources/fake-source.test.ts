// Acceptance for the source registry: a source defined only in this file (a fake CRM polled over a
// real loopback HTTP API, and a fake register link reading JSON lines from a real loopback TCP
// socket) is run by the capture service, connected/polled/ingested/listed by the CLI, with no
// other file edited: the services and the CLI take a registry (default: the built-in one).
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, connect as tcpConnect, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { parseSale } from '../../shared/domain/sale';
import type { MapOutcome, Mapper } from '../../shared/capture/outcome';
import { connectorSettings, settingsUrl } from '../../shared/sources/source-info';
import { SOURCE_IDS, CONNECTOR_IDS } from '../../shared/sources/registry';
import { CHANNELS, ConnectionTargetSchema } from '../../shared/ipc/contract';
import { BUILT_IN_SOURCES } from '../../main/sources/registry';
import { defineSource } from '../../main/sources/source';
import { runTest, type SourceConnector, type SourceLink } from '../../main/capture/connector';
import { ConnectorError } from '../../main/capture/errors';
import { readTokens } from '../../main/capture/tokens';
import type { PollPage, PollSource } from '../../main/capture/polling/poller';
import { CaptureService } from '../../main/capture/capture-service';
import { harness, type Harness } from '../capture/connectors/harness';
import { runCli } from '../cli/run-in-process';
import { writeTokens } from '../../main/capture/tokens';

// ---------- the fake CRM's API: GET /deals?since=<cursor> pages of won/lost deals, x-api-key auth ----------

interface Deal {
  id: string;
  updated: string;
  status: 'won' | 'lost';
  title: string;
  amount: string;
}

class FakeCrmApi {
  deals: Deal[] = [];
  readonly apiKey = 'crm-key-123';
  requests: string[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      this.requests.push(`${req.method} ${u.pathname}${u.search}`);
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.headers['x-api-key'] !== this.apiKey) return send(401, { error: 'invalid api key' });
      if (u.pathname === '/me') return send(200, { account: 'Ade Stores CRM' });
      if (u.pathname !== '/deals') return send(404, { error: 'not found' });
      // Two deals per page, ordered by `updated`; the cursor is the last `updated` returned.
      const since = u.searchParams.get('since') ?? '';
      const page = this.deals
        .filter((d) => d.updated > since)
        .sort((a, b) => a.updated.localeCompare(b.updated))
        .slice(0, 2);
      return send(200, { deals: page, cursor: page.at(-1)?.updated ?? null });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

const deal = (id: string, updated: string, amount = '1075.00', status: Deal['status'] = 'won'): Deal => ({
  id,
  updated,
  status,
  title: `Deal ${id}`,
  amount,
});

// ---------- the fake CRM source: pure half (settings, mapper) and I/O half (connector) ----------

const mapDeals =
  (source: string): Mapper =>
  (payload) =>
    (Array.isArray(payload) ? payload : [payload]).map((raw): MapOutcome => {
      const d = raw as Deal;
      if (d.status !== 'won') return { kind: 'skip', vendor: source, vendorId: d.id, version: d.updated, reason: `deal is ${d.status}` };
      const sale = parseSale({
        source,
        external_id: d.id,
        occurred_at: d.updated,
        currency: 'NGN',
        lines: [{ name: d.title, quantity: '1', unit_price: d.amount, tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } }],
        payments: [{ method: 'transfer', amount: d.amount }],
      });
      return { kind: 'sale', vendor: source, vendorId: d.id, version: d.updated, sale, payload: d };
    });
const mapFakeCrm = mapDeals('fakecrm');

const FakeCrmSettings = connectorSettings('fakecrm', { baseUrl: settingsUrl, pipeline: z.string().min(1) });
type FakeCrmConfig = z.output<typeof FakeCrmSettings>;

class FakeCrmConnector implements SourceConnector {
  readonly vendor = 'fakecrm';
  readonly source: PollSource;
  constructor(
    private readonly config: FakeCrmConfig,
    private readonly deps: Parameters<NonNullable<ReturnType<typeof defineSource>['connector']>>[1],
  ) {
    const get = async (path: string, query: Record<string, string> = {}) => {
      const key = readTokens(deps.secrets, 'fakecrm')?.accessToken;
      if (!key) throw new ConnectorError('not_configured', 'fakecrm: no API key stored');
      const res = await deps.http.request({ method: 'GET', url: `${config.baseUrl}${path}`, headers: { 'x-api-key': key }, query });
      if (res.status === 401) throw new ConnectorError('bad_credentials', 'fakecrm: the API key was refused');
      return res.body as Record<string, unknown>;
    };
    this.source = {
      vendor: 'fakecrm',
      async *pages(watermark: string | undefined): AsyncIterable<PollPage> {
        let since = watermark ?? '';
        for (;;) {
          const body = await get('/deals', { since });
          const items = body.deals as Deal[];
          if (!items.length) return;
          since = body.cursor as string;
          yield { items, watermark: since };
        }
      },
      key: (item) => ({ id: (item as Deal).id, version: (item as Deal).updated }),
      map: async (items) => mapFakeCrm(items),
    };
    this.get = get;
  }
  private readonly get: (path: string) => Promise<Record<string, unknown>>;
  testConnection() {
    return runTest('fakecrm', async () => ({
      summary: `connected to ${String((await this.get('/me')).account)} (${this.config.pipeline})`,
      details: {},
    }));
  }
}

const fakeCrm = defineSource<FakeCrmConfig>({
  info: { id: 'fakecrm', name: 'Fake CRM', kind: 'crm', auth: 'api-key', settings: FakeCrmSettings },
  mapper: mapFakeCrm,
  connector: (config, deps) => new FakeCrmConnector(config, deps),
  connect: {
    flags: [{ flags: '--pipeline <name>', description: 'Fake CRM: the pipeline whose won deals are invoiced' }],
    settings: (o, { pick }) => ({ ...pick('baseUrl', o.baseUrl), ...pick('pipeline', o.pipeline) }),
    noCodeFlow: 'Fake CRM uses an API key: give --access-token',
  },
});

// ---------- a fake register link: JSON lines over a TCP socket, started and stopped with the service ----------

const FakeLinkSettings = connectorSettings('fakelink', { port: z.number().int().min(1).max(65_535) });
type FakeLinkConfig = z.output<typeof FakeLinkSettings>;

class FakeLinkConnector implements SourceConnector {
  readonly vendor = 'fakelink';
  readonly source = {
    vendor: 'fakelink',
    key: (item: unknown) => ({ id: (item as Deal).id, version: (item as Deal).updated }),
    map: async (items: unknown[]) => mapDeals('fakelink')(items),
  };
  private socket: Socket | undefined;
  constructor(private readonly config: FakeLinkConfig) {}
  testConnection() {
    return runTest('fakelink', async () => ({ summary: `port ${this.config.port}`, details: {} }));
  }
  start(link: SourceLink): Promise<void> {
    return new Promise((resolve, reject) => {
      const s = tcpConnect(this.config.port, '127.0.0.1', () => resolve());
      this.socket = s;
      s.once('error', reject);
      let buf = '';
      s.on('data', (chunk) => {
        buf += chunk.toString('utf8');
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          let item: unknown;
          try {
            item = JSON.parse(line);
          } catch {
            link.problem(`fakelink: a line is not JSON: ${line.slice(0, 20)}`);
            continue;
          }
          link.problem(undefined);
          link.ingest([item]).catch((e: Error) => link.problem(`fakelink: ${e.message}`));
        }
      });
    });
  }
  async stop(): Promise<void> {
    this.socket?.destroy();
  }
}

const fakeLink = defineSource<FakeLinkConfig>({
  info: { id: 'fakelink', name: 'Fake register link', kind: 'register', auth: 'none', settings: FakeLinkSettings },
  connector: (config) => new FakeLinkConnector(config),
});

const SOURCES = BUILT_IN_SOURCES.with(fakeCrm, fakeLink);

// ---------- the tests ----------

let api: FakeCrmApi;
let h: Harness;
let service: CaptureService | undefined;

beforeEach(async () => {
  api = new FakeCrmApi();
  await api.start();
  h = harness();
});
afterEach(async () => {
  await service?.stop();
  service = undefined;
  await api.stop();
  h.close();
});

const fakeCrmSales = () =>
  h.db
    .prepare("SELECT external_id FROM invoices WHERE source = 'fakecrm' ORDER BY external_id")
    .all()
    .map((r) => (r as { external_id: string }).external_id);

describe('a source defined in a test, registered with BUILT_IN_SOURCES.with()', () => {
  it('the capture service polls it from its watermark: won deals are invoiced once, lost ones skipped', async () => {
    writeTokens(h.secrets, 'fakecrm', { accessToken: api.apiKey });
    api.deals = [
      deal('D1', '2026-11-24T09:00:00+01:00'),
      deal('D2', '2026-11-24T10:00:00+01:00', '500.00', 'lost'),
      deal('D3', '2026-11-24T11:00:00+01:00', '2150.00'),
    ];
    const config = FakeCrmSettings.parse({ vendor: 'fakecrm', baseUrl: api.url, pipeline: 'retail' });
    service = new CaptureService({
      db: h.db,
      ledger: h.ledger,
      reviewQueue: h.review,
      secrets: h.secrets,
      http: h.deps.http,
      clock: h.clock,
      sources: SOURCES,
      configs: [config],
    });
    await service.start();
    const first = await service.pollNow('fakecrm');
    expect(first).toMatchObject({ pages: 2, fetched: 3, sales: 2, skips: 1, reviews: 0, watermark: '2026-11-24T11:00:00+01:00' });
    expect(fakeCrmSales()).toEqual(['D1', 'D3']);
    api.deals.push(deal('D4', '2026-11-24T12:00:00+01:00'));
    expect(await service.pollNow('fakecrm')).toMatchObject({ fetched: 1, sales: 1 });
    expect(api.requests.at(-2)).toBe(`GET /deals?since=${encodeURIComponent('2026-11-24T11:00:00+01:00')}`);
    expect(fakeCrmSales()).toEqual(['D1', 'D3', 'D4']);
    expect(await service.testConnection('fakecrm')).toMatchObject({ ok: true, summary: 'connected to Ade Stores CRM (retail)' });
    expect(service.status().connectors).toEqual([
      expect.objectContaining({ vendor: 'fakecrm', state: 'idle', watermark: '2026-11-24T12:00:00+01:00' }),
    ]);
  });

  it('a long-lived link is started with the service: what it delivers is invoiced, garbage is reported, stop() closes it', async () => {
    const sockets: Socket[] = [];
    const tcp: TcpServer = createTcpServer((s) => sockets.push(s));
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', () => r()));
    const port = (tcp.address() as AddressInfo).port;
    try {
      service = new CaptureService({
        db: h.db,
        ledger: h.ledger,
        reviewQueue: h.review,
        secrets: h.secrets,
        clock: h.clock,
        sources: SOURCES,
        configs: [FakeLinkSettings.parse({ vendor: 'fakelink', port })],
      });
      await service.start();
      await vi.waitFor(() => expect(sockets).toHaveLength(1));
      sockets[0]!.write(`${JSON.stringify(deal('R1', '2026-11-24T09:00:00+01:00'))}\nnot json\n`);
      await vi.waitFor(() =>
        expect(service!.status().connectors[0]).toMatchObject({
          vendor: 'fakelink',
          state: 'needs_attention',
          lastError: expect.stringMatching(/a line is not JSON/),
        }),
      );
      sockets[0]!.write(
        `${JSON.stringify(deal('R2', '2026-11-24T09:05:00+01:00'))}\n${JSON.stringify(deal('R1', '2026-11-24T09:00:00+01:00'))}\n`,
      );
      await vi.waitFor(() =>
        expect(h.db.prepare("SELECT external_id FROM invoices WHERE source = 'fakelink' ORDER BY external_id").all()).toEqual([
          { external_id: 'R1' },
          { external_id: 'R2' },
        ]),
      );
      expect(service.status().connectors[0]).toMatchObject({ state: 'idle' });
      await expect(service.pollNow('fakelink')).rejects.toThrow(/not a polled source/);
      const closed = new Promise<void>((r) => sockets[0]!.once('close', () => r()));
      await service.stop();
      service = undefined;
      await closed; // the link's socket is closed by stop()
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => tcp.close(() => r()));
    }
  });

  describe('the CLI, built with the extended registry', () => {
    /** The CLI's command modules in-process, built with the extended registry. */
    const run = (args: string[]) => runCli(h.dir, args, SOURCES);
    const lines = (s: string) =>
      s
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);

    it('`sources` lists it next to the built-in sources', async () => {
      const r = await run(['sources']);
      expect(r.code).toBe(0);
      const listed = lines(r.stdout);
      expect(listed.map((s) => s.id)).toEqual([...SOURCE_IDS, 'fakecrm', 'fakelink']);
      expect(listed.find((s) => s.id === 'fakecrm')).toEqual({
        id: 'fakecrm',
        name: 'Fake CRM',
        kind: 'crm',
        auth: 'api-key',
        connect: true,
        webhooks: false,
        ingest: true,
        flags: ['--pipeline <name>'],
      });
    });

    it('`ingest --source fakecrm` maps its own JSON and issues the won deals', async () => {
      const file = join(h.dir, 'deals.json');
      writeFileSync(
        file,
        JSON.stringify([deal('F1', '2026-11-24T09:00:00+01:00'), deal('F2', '2026-11-24T09:30:00+01:00', '10.00', 'lost')]),
      );
      const r = await run(['ingest', '--source', 'fakecrm', '--file', file]);
      expect(r.code).toBe(0);
      expect(lines(r.stdout).map((l) => [l.outcome, l.vendor_id])).toEqual([
        ['issued', 'F1'],
        ['skipped', 'F2'],
      ]);
      expect(fakeCrmSales()).toEqual(['F1']);
      expect(await run(['ingest', '--source', 'nocrm', '--file', file])).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/--source: "nocrm" is not one of canonical, square, toast, lightspeed-x, lightspeed-r, fakecrm/),
      });
    });

    it('`connect fakecrm` stores settings and the key, tests the connection; `poll fakecrm --once` polls the loopback API', async () => {
      api.deals = [deal('P1', '2026-11-24T09:00:00+01:00')];
      const missing = await run(['connect', 'fakecrm', '--base-url', api.url, '--no-test']);
      expect(missing).toMatchObject({ code: 2, stderr: expect.stringMatching(/pipeline/) });
      // Secrets are never flag values (they show in `ps`): env:NAME or @file.
      process.env.TPOS_FAKECRM_BAD_TOKEN = 'wrong';
      process.env.TPOS_FAKECRM_TOKEN = api.apiKey;
      const bad = await run([
        'connect',
        'fakecrm',
        '--base-url',
        api.url,
        '--pipeline',
        'retail',
        '--access-token',
        'env:TPOS_FAKECRM_BAD_TOKEN',
      ]);
      expect(bad.code).toBe(1);
      expect(lines(bad.stdout)[0]).toMatchObject({ ok: false, vendor: 'fakecrm', problem: 'bad_credentials', saved: true });
      const good = await run([
        'connect',
        'fakecrm',
        '--base-url',
        api.url,
        '--pipeline',
        'retail',
        '--access-token',
        'env:TPOS_FAKECRM_TOKEN',
      ]);
      expect(good.code).toBe(0);
      expect(lines(good.stdout)[0]).toMatchObject({
        ok: true,
        vendor: 'fakecrm',
        summary: 'connected to Ade Stores CRM (retail)',
        saved: true,
      });
      expect(await run(['connect', 'fakecrm', '--authorize'])).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/--authorize: Fake CRM uses an API key/),
      });
      const polled = await run(['poll', 'fakecrm', '--once']);
      expect(polled.code).toBe(0);
      expect(lines(polled.stdout)[0]).toMatchObject({ ok: true, vendor: 'fakecrm', sales: 1 });
      expect(fakeCrmSales()).toEqual(['P1']);
    });
  });
});

describe('the IPC contract reads the shared registry', () => {
  it('its source enums are the registry ids, not a typed-out list', () => {
    expect(ConnectionTargetSchema.options).toEqual(['firs', 'cloud', ...CONNECTOR_IDS, 'printer', 'serial']);
    const filter = (CHANNELS['invoices.listByDay'].request as z.ZodObject).shape.source as z.ZodOptional<z.ZodEnum>;
    expect(filter.unwrap().options).toEqual(SOURCE_IDS);
    expect(CONNECTOR_IDS).toEqual(['square', 'toast', 'lightspeed-x', 'lightspeed-r', 'hubspot', 'salesforce', 'pipedrive']);
  });
});
