// CRM webhooks, an accelerator for polling: HubSpot batches signed with X-HubSpot-Signature-v3
// (5-minute window; the existing verifier), Pipedrive webhooks v2 protected by HTTP Basic auth
// (compared in constant time). Both fail closed with no secret configured. Events carry only ids:
// each deal is fetched and recorded through the poller with the event id, so a repeated delivery
// does nothing. Answered 2xx only once the deals are committed; otherwise 5xx so the CRM retries.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SecretStore } from '../../app/secret-store';
import { safeEqual } from '../signatures/hmac';
import { verifyHubspotV3, type VerifyResult } from '../signatures/verify';
import type { CrmSource } from '../../../shared/capture/crm/outcome';
import { crmSecret } from './config';
import type { DealPoller } from './deal-poller';

export class CrmWebhookBadRequest extends Error {}

export interface CrmWebhookRoute {
  source: CrmSource;
  verify(raw: Buffer, headers: IncomingMessage['headers'], path: string): VerifyResult;
  /** The deal ids each event names, with the event's id (for dedupe). */
  events(raw: Buffer): { eventId: string; dealIds: string[] }[];
  poller: DealPoller;
}

const header = (h: IncomingMessage['headers'], name: string): string => {
  const v = h[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
};

export function hubspotWebhookRoute(
  secrets: SecretStore,
  poller: DealPoller,
  publicUrl: (path: string) => string,
  now: () => number = Date.now,
): CrmWebhookRoute {
  return {
    source: 'hubspot',
    poller,
    verify: (raw, h, path) =>
      verifyHubspotV3({
        secret: secrets.get(crmSecret('hubspot', 'client_secret')) ?? '',
        signature: header(h, 'x-hubspot-signature-v3'),
        body: raw,
        url: publicUrl(path),
        method: 'POST',
        timestamp: header(h, 'x-hubspot-request-timestamp'),
        now: now(),
      }),
    events(raw) {
      let v: unknown;
      try {
        v = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new CrmWebhookBadRequest('hubspot webhook: body is not JSON');
      }
      if (!Array.isArray(v)) throw new CrmWebhookBadRequest('hubspot webhook: body is not a JSON array of events');
      return v.flatMap((e) => {
        const ev = (e ?? {}) as { eventId?: unknown; subscriptionType?: unknown; objectId?: unknown };
        if (typeof ev.subscriptionType !== 'string' || !ev.subscriptionType.startsWith('deal.')) return [];
        if ((typeof ev.objectId !== 'number' && typeof ev.objectId !== 'string') || ev.eventId === undefined)
          throw new CrmWebhookBadRequest('hubspot webhook: a deal event without objectId/eventId');
        return [{ eventId: `hubspot:${String(ev.eventId)}`, dealIds: [String(ev.objectId)] }]; // objectId is a number here, a string in the API
      });
    },
  };
}

export function pipedriveWebhookRoute(secrets: SecretStore, poller: DealPoller): CrmWebhookRoute {
  return {
    source: 'pipedrive',
    poller,
    verify(_raw, h) {
      const expected = secrets.get(crmSecret('pipedrive', 'webhook_basic'));
      if (!expected) return { ok: false, reason: 'no Pipedrive webhook credentials configured' };
      const auth = header(h, 'authorization');
      if (!auth.startsWith('Basic ')) return { ok: false, reason: 'no Basic authorization header' };
      const given = Buffer.from(auth.slice(6), 'base64').toString('utf8');
      return safeEqual(expected, given) ? { ok: true } : { ok: false, reason: 'Pipedrive webhook credentials do not match' };
    },
    events(raw) {
      let v: { meta?: { entity?: unknown; entity_id?: unknown; id?: unknown; action?: unknown } };
      try {
        v = JSON.parse(raw.toString('utf8')) as typeof v;
      } catch {
        throw new CrmWebhookBadRequest('pipedrive webhook: body is not JSON');
      }
      const meta = v?.meta;
      if (!meta || typeof meta !== 'object') throw new CrmWebhookBadRequest('pipedrive webhook: no meta (webhooks v2 expected)');
      if (meta.entity !== 'deal') return [];
      if (typeof meta.entity_id !== 'string' && typeof meta.entity_id !== 'number')
        throw new CrmWebhookBadRequest('pipedrive webhook: meta.entity_id missing');
      const id = typeof meta.id === 'string' && meta.id ? meta.id : createHash('sha256').update(raw).digest('hex').slice(0, 32);
      return [{ eventId: `pipedrive:${id}`, dealIds: [String(meta.entity_id)] }];
    },
  };
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export class CrmWebhookServer {
  private server: Server | undefined;

  constructor(
    private readonly routes: CrmWebhookRoute[],
    private readonly o: { host: string; port: number; allowRemote: boolean },
  ) {}

  async start(): Promise<{ host: string; port: number }> {
    if (!LOOPBACK.has(this.o.host) && !this.o.allowRemote)
      throw new Error(`webhooks.host: ${this.o.host} is not loopback; allowRemote must be set to listen beyond this machine`);
    // Nothing a request does may end the listener: a failure no branch below expected closes that one socket.
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => res.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.o.port, this.o.host, () => resolve());
    });
    const a = this.server.address() as AddressInfo;
    return { host: a.address, port: a.port };
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const route = this.routes.find((r) => path === `/webhooks/${r.source}`);
    if (req.method !== 'POST' || !route) return reply(404, { ok: false, error: 'unknown webhook path' });
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const c of req) {
        size += (c as Buffer).length;
        if (size > 1024 * 1024) return reply(413, { ok: false, error: 'body too large' });
        chunks.push(c as Buffer);
      }
    } catch {
      // The sender hung up mid-body: nothing to answer, nothing recorded.
      res.destroy();
      return;
    }
    const raw = Buffer.concat(chunks);
    const verified = route.verify(raw, req.headers, req.url ?? path);
    if (!verified.ok) return reply(401, { ok: false, error: verified.reason });
    try {
      const results = [];
      for (const ev of route.events(raw)) {
        const r = await route.poller.ingestEvent(ev.dealIds, ev.eventId);
        results.push({
          event: ev.eventId,
          duplicate: r.duplicate,
          deals: r.results.map((x) => ({ deal: x.dealId, outcome: x.outcome, ...(x.irn ? { irn: x.irn } : {}) })),
        });
      }
      return reply(200, { ok: true, results });
    } catch (e) {
      if (e instanceof CrmWebhookBadRequest) return reply(400, { ok: false, error: e.message });
      return reply(503, { ok: false, error: (e as Error).message });
    }
  }
}
