// A loopback fake of the Toast APIs the connector uses, per Toast's documented contract: machine-
// client login (token with expiresIn and scope), the Toast-Restaurant-External-ID header on every
// call, GET /orders/v2/ordersBulk (startDate inclusive / endDate exclusive on modified time,
// page + pageSize ≤100, Link rel="next"), GET /orders/v2/orders/{guid}, 429 / 5xx, and signed
// order_updated webhooks (Toast-Signature = base64 HMAC-SHA256(secret, body + timestamp)).
import { createHmac } from 'node:crypto';
import { FakeVendorServer, bearer, token, type FakeRequest, type FakeResponse } from '../capture/connectors/fake-http';

type Order = Record<string, unknown> & { guid: string; modifiedDate: string };

const parseToastDate = (s: string | null): number => (s ? Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : NaN);
const toastDate = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');

export class FakeToast extends FakeVendorServer {
  readonly clientId = 'toast-client-1';
  clientSecret = 'toast-secret-1';
  restaurantGuid = 'rest-0000-1111';
  scope = 'orders:read restaurants:read';
  tokenTtlS = 86_400;
  readonly access = new Map<string, number>(); // token → expiresAt
  readonly orders = new Map<string, Order>();
  logins = 0;

  protected override isAuthPath(path: string): boolean {
    return path.startsWith('/authentication/');
  }

  putOrder(order: Record<string, unknown> & { guid: string }, o: { modifiedAt?: number } = {}): Order {
    const stored = { ...order, modifiedDate: toastDate(o.modifiedAt ?? this.now()) } as Order;
    this.orders.set(order.guid, stored);
    return stored;
  }

  orderUpdated(guid: string, eventGuid = token('toast-evt')): Record<string, unknown> {
    return {
      timestamp: toastDate(this.now()),
      eventCategory: 'orders',
      eventType: 'order_updated',
      guid: eventGuid,
      details: { restaurantGuid: this.restaurantGuid, order: this.orders.get(guid) },
    };
  }

  async deliver(
    target: string,
    event: Record<string, unknown>,
    o: { secret: string; tamper?: boolean },
  ): Promise<{ status: number; body: string }> {
    const body = JSON.stringify(event);
    const sig = createHmac('sha256', o.tamper ? `${o.secret}!` : o.secret)
      .update(body + String(event.timestamp))
      .digest('base64');
    const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', 'toast-signature': sig }, body });
    return { status: res.status, body: await res.text() };
  }

  protected route(req: FakeRequest): FakeResponse {
    if (req.method === 'POST' && req.path === '/authentication/v1/authentication/login') {
      const b = (req.json ?? {}) as Record<string, string>;
      if (b.userAccessType !== 'TOAST_MACHINE_CLIENT')
        return { status: 400, json: { status: 400, message: 'userAccessType must be TOAST_MACHINE_CLIENT' } };
      if (b.clientId !== this.clientId || b.clientSecret !== this.clientSecret)
        return { status: 401, json: { status: 401, code: 10010, message: 'Invalid client credentials' } };
      this.logins++;
      const t = token('toast-at');
      this.access.set(t, this.now() + this.tokenTtlS * 1000);
      return {
        status: 200,
        json: {
          token: { tokenType: 'Bearer', scope: this.scope, expiresIn: this.tokenTtlS, accessToken: t, idToken: null, refreshToken: null },
          status: 'SUCCESS',
        },
      };
    }
    const t = bearer(req);
    const exp = t ? this.access.get(t) : undefined;
    if (!exp || exp <= this.now())
      return { status: 401, json: { status: 401, code: 10001, message: 'Authentication failed: the access token is invalid or expired' } };
    if (req.headers['toast-restaurant-external-id'] !== this.restaurantGuid) {
      return {
        status: 403,
        json: {
          status: 403,
          code: 10020,
          message: `Access to restaurant ${String(req.headers['toast-restaurant-external-id'])} is denied: restaurant not found or not connected`,
        },
      };
    }
    if (!this.scope.split(' ').includes('orders:read'))
      return { status: 403, json: { status: 403, code: 10030, message: 'Missing required scope orders:read' } };
    if (req.method === 'GET' && req.path === '/orders/v2/ordersBulk') {
      const start = parseToastDate(req.query.get('startDate'));
      const end = parseToastDate(req.query.get('endDate'));
      if (Number.isNaN(start) || Number.isNaN(end))
        return { status: 400, json: { status: 400, message: 'startDate and endDate must be yyyy-MM-ddTHH:mm:ss.SSS+0000' } };
      const pageSize = Number(req.query.get('pageSize') ?? 100);
      const page = Number(req.query.get('page') ?? 1);
      if (!(pageSize >= 1 && pageSize <= 100)) return { status: 400, json: { status: 400, message: 'pageSize must be 1..100' } };
      // Deliberately not sorted by modification (Toast does not promise an order).
      const all = [...this.orders.values()]
        .filter((o) => {
          const m = parseToastDate(o.modifiedDate);
          return m >= start && m < end;
        })
        .sort((a, b) => (a.guid < b.guid ? -1 : 1));
      const slice = all.slice((page - 1) * pageSize, page * pageSize);
      const headers: Record<string, string> = {};
      if (page * pageSize < all.length) {
        const next = new URLSearchParams(req.query);
        next.set('page', String(page + 1));
        headers.link = `<${this.url}${req.path}?${next.toString()}>; rel="next"`;
      }
      return { status: 200, headers, json: slice };
    }
    const m = /^\/orders\/v2\/orders\/([^/]+)$/.exec(req.path);
    if (req.method === 'GET' && m) {
      const o = this.orders.get(decodeURIComponent(m[1]!));
      return o ? { status: 200, json: o } : { status: 404, json: { status: 404, message: 'Order not found' } };
    }
    return { status: 404, json: { status: 404, message: `no route ${req.method} ${req.path}` } };
  }
}

/** A closed Toast order in the API's shape: one selection with 7.5 % VAT added, paid in cash (amounts in naira). */
export function toastOrder(guid: string, net = 1000, extra: Record<string, unknown> = {}): Record<string, unknown> & { guid: string } {
  const tax = Math.round(net * 7.5) / 100;
  const total = Math.round((net + tax) * 100) / 100;
  return {
    guid,
    entityType: 'Order',
    businessDate: 20261124,
    openedDate: '2026-11-24T08:00:00.000+0000',
    closedDate: '2026-11-24T08:20:00.000+0000',
    paidDate: '2026-11-24T08:19:00.000+0000',
    voided: false,
    deleted: false,
    checks: [
      {
        guid: `chk-${guid}`,
        entityType: 'Check',
        voided: false,
        deleted: false,
        paymentStatus: 'CLOSED',
        selections: [
          {
            guid: `sel-${guid}`,
            entityType: 'MenuItemSelection',
            displayName: 'Jollof rice',
            quantity: 1,
            preDiscountPrice: net,
            price: net,
            tax,
            taxInclusion: 'NOT_INCLUDED',
            voided: false,
            appliedTaxes: [{ guid: 'tx', entityType: 'AppliedTaxRate', name: 'VAT', rate: 0.075, taxAmount: tax, type: 'PERCENT' }],
            modifiers: [],
          },
        ],
        appliedServiceCharges: [],
        appliedDiscounts: [],
        amount: net,
        taxAmount: tax,
        totalAmount: total,
        payments: [
          {
            guid: `pay-${guid}`,
            entityType: 'OrderPayment',
            type: 'CASH',
            amount: total,
            tipAmount: 0,
            paymentStatus: 'CAPTURED',
            refundStatus: 'NONE',
            refund: null,
          },
        ],
      },
    ],
    ...extra,
  };
}
