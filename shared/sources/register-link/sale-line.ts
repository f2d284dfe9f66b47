// Sale messages (mode 1): one canonical-sale JSON document per line. A line is either a sale to
// issue or a NAK with a reason on one line, naming the external_id when the line has one.
import { InvalidInput, parseSale, type Sale } from '../../domain/sale';
import { computeTotals } from '../../domain/totals';
import { MoneyError } from '../../domain/money';

export const LINK_SOURCE = 'register-link' satisfies Sale['source'];

export type LineOutcome = { kind: 'sale'; sale: Sale } | { kind: 'blank' } | { kind: 'bad'; externalId: string | null; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** An external_id usable in an ACK/NAK line: printable, no spaces. */
export function safeId(id: unknown): string | null {
  return typeof id === 'string' && /^[\x21-\x7e]{1,128}$/.test(id) ? id : null;
}

export function oneLine(reason: string): string {
  return reason
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, 300);
}

export function parseSaleLine(bytes: Uint8Array): LineOutcome {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { kind: 'bad', externalId: null, reason: 'line is not valid UTF-8' };
  }
  if (!text.trim()) return { kind: 'blank' };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { kind: 'bad', externalId: null, reason: `line is not JSON: ${oneLine((e as Error).message)}` };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    return { kind: 'bad', externalId: null, reason: 'line is not a JSON object (one canonical sale per line)' };
  const obj = doc as Record<string, unknown>;
  const externalId = safeId(obj.external_id);
  if (obj.external_id !== undefined && externalId === null) {
    return { kind: 'bad', externalId: null, reason: 'external_id: must be 1-128 printable ASCII characters without spaces' };
  }
  if (obj.source !== undefined && obj.source !== LINK_SOURCE) {
    return { kind: 'bad', externalId, reason: `source: must be "${LINK_SOURCE}" or left out (got ${oneLine(JSON.stringify(obj.source))})` };
  }
  try {
    const sale = parseSale({ ...obj, source: LINK_SOURCE });
    computeTotals(sale); // short payment, overpaid card… named before anything is written
    return { kind: 'sale', sale };
  } catch (e) {
    if (e instanceof InvalidInput || e instanceof MoneyError) return { kind: 'bad', externalId, reason: oneLine(e.message) };
    throw e;
  }
}
