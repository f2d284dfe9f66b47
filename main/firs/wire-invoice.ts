// The invoice as sent: the stored (hash-chained) JSON, completed from the business profile where
// it predates NRS v1.1. A ledger set up before v1.1 issued invoices without the supplier's state
// and LGA, without invoice_kind, with the old "CC-001" item placeholder and blank item ids; those
// are filled here from the profile at send time (the supplier address and the default item
// classification are the business's, not the sale's), so the stored invoice stays untouched.
import type { Business } from '../../shared/domain/business';
import { lineClassification, supplierParty, type DescribeCode } from '../../shared/domain/firs-invoice';
import { productCode } from '../../shared/domain/buyer';

export type WireProfile = Business;

/** The placeholder HS code of the old public samples; never sent. */
export const PLACEHOLDER_HS_CODE = 'CC-001';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function toWireInvoice(stored: unknown, profile: WireProfile | undefined, describe?: DescribeCode): unknown {
  if (!isObj(stored) || !profile) return stored;
  const inv: Json = { ...stored };
  const supplier = isObj(inv.accounting_supplier_party) ? { ...inv.accounting_supplier_party } : undefined;
  const address = supplier && isObj(supplier.postal_address) ? supplier.postal_address : undefined;
  if (supplier && (!address || !address.state || !address.lga)) {
    const fresh = supplierParty(profile).postal_address;
    if (fresh) inv.accounting_supplier_party = { ...supplier, postal_address: fresh };
  }
  if (inv.invoice_kind === undefined) {
    const buyer = inv.accounting_customer_party;
    inv.invoice_kind = isObj(buyer) && typeof buyer.tin === 'string' && buyer.tin ? 'B2B' : 'B2C';
  }
  if (Array.isArray(inv.invoice_line)) {
    inv.invoice_line = inv.invoice_line.map((raw: unknown) => {
      if (!isObj(raw)) return raw;
      const line: Json = { ...raw };
      const unclassified = (line.hsn_code === undefined || line.hsn_code === PLACEHOLDER_HS_CODE) && line.isic_code === undefined;
      if (unclassified) {
        delete line.hsn_code;
        delete line.product_category;
        Object.assign(line, lineClassification({}, profile, describe));
      }
      if (
        isObj(line.item) &&
        !(typeof line.item.sellers_item_identification === 'string' && line.item.sellers_item_identification.trim())
      ) {
        line.item = { ...line.item, sellers_item_identification: productCode(String(line.item.name ?? '')) };
      }
      return line;
    });
  }
  return inv;
}
