// A minimal Z-report document per closed Lagos day, computed from the ledger for the cloud
// upload. (The full Z report belongs to shared/reports/, which was not in the tree when the sync
// was written; this keeps to totals the ledger columns give exactly, in integer kobo.)
import type { Db } from '../ledger/database';
import { CloudStore } from '../ledger/cloud-store';
import { parseKobo } from '../../shared/domain/money';
import type { Sale } from '../../shared/domain/sale';
import type { DaySummary } from './wire';

export function daySummary(
  db: Db,
  day: string,
  business: { business_id: string; terminal: string },
): Omit<DaySummary, 'idempotency_key'> | undefined {
  const rows = new CloudStore(db).dayRows(day);
  if (rows.length === 0) return undefined;
  let sales = 0,
    refunds = 0,
    tax = 0,
    tip = 0,
    invoices = 0,
    credits = 0,
    unreported = 0;
  const byMethod: Record<string, number> = {};
  for (const r of rows) {
    const sign = r.type === '380' ? -1 : 1;
    if (sign > 0) {
      invoices++;
      sales += r.payable_kobo;
    } else {
      credits++;
      refunds += r.payable_kobo;
    }
    tax += sign * r.tax_kobo;
    tip += sign * r.tip_kobo;
    if (r.report_status !== 'done') unreported++;
    for (const p of (JSON.parse(r.sale_json) as Sale).payments) {
      byMethod[p.method] = (byMethod[p.method] ?? 0) + sign * parseKobo(p.amount, 'payments.amount');
    }
  }
  return {
    business_id: business.business_id,
    terminal: business.terminal,
    day,
    currency: rows[0]!.currency,
    invoice_count: invoices,
    credit_note_count: credits,
    first_invoice_number: rows[0]!.invoice_number,
    last_invoice_number: rows[rows.length - 1]!.invoice_number,
    sales_kobo: sales,
    refunds_kobo: refunds,
    net_kobo: sales - refunds,
    tax_kobo: tax,
    tip_kobo: tip,
    by_payment_method: byMethod,
    unreported_count: unreported,
    chain_head_hash: rows[rows.length - 1]!.hash,
  };
}
