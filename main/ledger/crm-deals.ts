// SQL for the CRM connectors (migration 012-crm-deals): what was done per deal, each CRM's poll
// watermark (their settings are connector settings: main/capture/config.ts). Rows are checked with zod at this boundary.
import { z } from 'zod';
import type { Db } from './database';
import { prepared } from './prepared';
import { DEAL_STATES, type DealMemory, type DealState } from '../../shared/capture/crm/decide';
import { CRM_SOURCES, type CrmSource } from '../../shared/capture/crm/outcome';

const DealRow = z.object({
  source: z.enum(CRM_SOURCES),
  deal_id: z.string(),
  state: z.enum(DEAL_STATES),
  generation: z.number().int(),
  title: z.string().nullable(),
  currency: z.string().nullable(),
  amount_kobo: z.number().int().nullable(),
  version: z.string().nullable(),
  reason: z.string().nullable(),
  missing: z.string(),
  review_id: z.number().int().nullable(),
  external_id: z.string().nullable(),
  irn: z.string().nullable(),
  invoiced_amount_kobo: z.number().int().nullable(),
  credit_irn: z.string().nullable(),
  ack: z.string().nullable(),
  trigger: z.string().nullable(),
  record_url: z.string().nullable(),
  writeback: z.enum(['pending', 'done', 'failed']).nullable(),
  writeback_error: z.string().nullable(),
  writeback_state: z.string().nullable(),
  paid_at: z.number().int().nullable(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
});

export interface CrmDeal extends DealMemory {
  source: CrmSource;
  dealId: string;
  title: string | null;
  amountKobo: number | null;
  version: string | null;
  reason: string | null;
  missing: string[];
  reviewId: number | null;
  externalId: string | null;
  creditIrn: string | null;
  /** The change a credit-note question is about ("amount:…" / "status:…"). */
  trigger: string | null;
  recordUrl: string | null;
  writeback: 'pending' | 'done' | 'failed' | null;
  writebackError: string | null;
  /** The clearance state last written back to the CRM (a change writes it again). */
  writebackState: string | null;
  /** When the CRM said the deal was paid and the payment-status update was queued. */
  paidAt: number | null;
  createdAt: number;
  updatedAt: number;
}

function toDeal(raw: unknown): CrmDeal {
  const r = DealRow.parse(raw);
  return {
    source: r.source,
    dealId: r.deal_id,
    state: r.state,
    generation: r.generation,
    title: r.title,
    currency: r.currency,
    amountKobo: r.amount_kobo,
    version: r.version,
    reason: r.reason,
    missing: z.array(z.string()).parse(JSON.parse(r.missing)),
    reviewId: r.review_id,
    externalId: r.external_id,
    irn: r.irn,
    invoicedAmountKobo: r.invoiced_amount_kobo,
    creditIrn: r.credit_irn,
    ack: r.ack,
    trigger: r.trigger,
    recordUrl: r.record_url,
    writeback: r.writeback,
    writebackError: r.writeback_error,
    writebackState: r.writeback_state,
    paidAt: r.paid_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface DealPatch {
  state: DealState;
  generation?: number;
  title?: string | null;
  currency?: string | null;
  amountKobo?: number | null;
  version?: string | null;
  reason?: string | null;
  missing?: string[];
  reviewId?: number | null;
  externalId?: string | null;
  irn?: string | null;
  invoicedAmountKobo?: number | null;
  creditIrn?: string | null;
  ack?: string | null;
  trigger?: string | null;
  recordUrl?: string | null;
  writeback?: 'pending' | 'done' | 'failed' | null;
  writebackError?: string | null;
  writebackState?: string | null;
  paidAt?: number | null;
}

const COLUMNS: Record<keyof DealPatch, string> = {
  state: 'state',
  generation: 'generation',
  title: 'title',
  currency: 'currency',
  amountKobo: 'amount_kobo',
  version: 'version',
  reason: 'reason',
  missing: 'missing',
  reviewId: 'review_id',
  externalId: 'external_id',
  irn: 'irn',
  invoicedAmountKobo: 'invoiced_amount_kobo',
  creditIrn: 'credit_irn',
  ack: 'ack',
  trigger: 'trigger',
  recordUrl: 'record_url',
  writeback: 'writeback',
  writebackError: 'writeback_error',
  writebackState: 'writeback_state',
  paidAt: 'paid_at',
};

export class CrmDeals {
  constructor(
    readonly db: Db,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get(source: CrmSource, dealId: string): CrmDeal | undefined {
    const row = prepared(this.db, 'SELECT * FROM crm_deal WHERE source = ? AND deal_id = ?').get(source, dealId);
    return row ? toDeal(row) : undefined;
  }

  /** Inserts or updates the deal's row with the given fields (others keep their values). */
  save(source: CrmSource, dealId: string, patch: DealPatch): CrmDeal {
    const now = this.now();
    const values: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(patch) as [keyof DealPatch, unknown][]) {
      if (v === undefined) continue;
      values[COLUMNS[k]] = k === 'missing' ? JSON.stringify(v) : v;
    }
    const cols = Object.keys(values);
    const sql = `INSERT INTO crm_deal (source, deal_id, ${cols.join(', ')}, created_at, updated_at)
      VALUES (@source, @deal_id, ${cols.map((c) => `@${c}`).join(', ')}, @now, @now)
      ON CONFLICT(source, deal_id) DO UPDATE SET ${cols.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at`;
    prepared(this.db, sql).run({ ...values, source, deal_id: dealId, now });
    return this.get(source, dealId)!;
  }

  list(filter: { source?: CrmSource; states?: DealState[] } = {}): CrmDeal[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.source) {
      where.push('source = ?');
      args.push(filter.source);
    }
    if (filter.states?.length) {
      where.push(`state IN (${filter.states.map(() => '?').join(', ')})`);
      args.push(...filter.states);
    }
    return this.db
      .prepare(`SELECT * FROM crm_deal ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY updated_at DESC, deal_id`)
      .all(...args)
      .map(toDeal);
  }

  /** Invoiced deals whose write-back is not done, or was done for another clearance state. */
  writebackCandidates(source: CrmSource): CrmDeal[] {
    return this.db
      .prepare(
        "SELECT * FROM crm_deal WHERE source = ? AND irn IS NOT NULL AND state IN ('invoiced', 'credit_review', 'credited') AND writeback IS NOT NULL ORDER BY updated_at",
      )
      .all(source)
      .map(toDeal);
  }

  /** Deals whose invoice still has to be written back to the CRM. */
  pendingWriteback(source: CrmSource): CrmDeal[] {
    return this.db
      .prepare("SELECT * FROM crm_deal WHERE source = ? AND irn IS NOT NULL AND writeback IN ('pending', 'failed') ORDER BY updated_at")
      .all(source)
      .map(toDeal);
  }

  watermark(source: CrmSource): string | undefined {
    const row = prepared(this.db, 'SELECT watermark FROM crm_watermark WHERE source = ?').get(source);
    return row === undefined ? undefined : z.object({ watermark: z.string() }).parse(row).watermark;
  }

  setWatermark(source: CrmSource, watermark: string): void {
    prepared(
      this.db,
      'INSERT INTO crm_watermark (source, watermark, updated_at) VALUES (?, ?, ?) ON CONFLICT(source) DO UPDATE SET watermark = excluded.watermark, updated_at = excluded.updated_at',
    ).run(source, watermark, this.now());
  }
}
