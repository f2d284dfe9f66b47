// The Z report as a PDF (A4, pdfkit's built-in Helvetica). The standard PDF fonts have no "₦"
// glyph, so amounts are written "NGN 1,234.50" rather than risking a missing character.
// pdfkit (with fontkit) is loaded when a PDF is made, not at start-up: requiring it costs ~180 ms
// of CPU, about a third of every CLI command's start, and only the Z report export needs it.
import type { ZReport } from '../../shared/ipc/contract';
import { formatKobo } from '../../shared/domain/money';

const VAT_LABEL: Record<string, string> = {
  STANDARD_VAT: 'Standard VAT',
  REDUCED_VAT: 'Reduced VAT',
  ZERO_VAT: 'Zero-rated',
  EXEMPTED: 'Exempt',
};

export function ngn(kobo: number): string {
  const sign = kobo < 0 ? '-' : '';
  const [whole, frac] = formatKobo(Math.abs(kobo)).split('.');
  return `${sign}NGN ${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

function lagosTime(ms: number): string {
  return `${new Date(ms + 3600_000).toISOString().slice(0, 19).replace('T', ' ')} (Lagos)`;
}

/**
 * The PDF: the same bytes for the same Z report (its creation date is the report's generation
 * time). The app makes it in the report thread (report-thread.ts); on the till's thread (a
 * checkout that was never built) pdfkit's synchronous layout, about a millisecond a line on a
 * busy machine, gives the event loop back after each line (`yieldEachLine`).
 */
export async function zReportPdf(z: ZReport, { yieldEachLine = true } = {}): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const turn = yieldEachLine ? () => new Promise<void>((r) => setImmediate(r)) : async () => {};
  const doc = new PDFDocument({
    size: 'A4',
    margin: 48,
    info: {
      Title: `Z report ${z.date} ${z.business.terminal}`,
      Author: 'TaxPoynt POS',
      CreationDate: new Date(z.generated_at),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const row = async (label: string, value: string) => {
    const y = doc.y;
    doc.font('Helvetica').fontSize(10).text(label, 48, y, { width: 300 });
    doc.text(value, 348, y, { width: 199, align: 'right' });
    await turn();
  };
  const heading = async (text: string) => {
    doc.moveDown(0.8).font('Helvetica-Bold').fontSize(12).text(text, 48);
    doc.moveDown(0.2);
    await turn();
  };

  doc
    .font('Helvetica-Bold')
    .fontSize(18)
    .text(`${z.demo ? 'DEMO — ' : ''}Z report ${z.date}`);
  await turn();
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(`${z.business.name} — TIN ${z.business.tin} — terminal ${z.business.terminal}`)
    .text(z.closed ? `Day closed: Z number ${z.closed.z_number} at ${lagosTime(z.closed.closed_at)}` : 'Day not closed yet (X reading)')
    .text(`Generated ${lagosTime(z.generated_at)}`);
  await turn();

  await heading('Totals');
  await row('Invoices', `${z.sales.count}   ${ngn(z.sales.payable_kobo)}`);
  await row('Credit notes', `${z.credits.count}   -${ngn(z.credits.payable_kobo).replace(/^-/, '')}`);
  await row('Gross (incl. VAT)', ngn(z.gross_kobo));
  await row('Net (excl. VAT)', ngn(z.net_kobo));
  await row('VAT', ngn(z.total.tax_kobo));
  await row('Tips', ngn(z.total.tip_kobo));

  await heading('VAT by category');
  if (!z.vat.length) await row('(none)', '');
  for (const v of z.vat) await row(`${VAT_LABEL[v.category] ?? v.category} ${v.rate}%  (taxable ${ngn(v.taxable_kobo)})`, ngn(v.tax_kobo));

  await heading('Payments');
  if (!z.payments.length) await row('(none)', '');
  for (const p of z.payments) await row(`${p.method} (${p.count})`, ngn(p.amount_kobo));

  await heading('Ledger');
  await row('First invoice', z.first_invoice ?? '—');
  await row('Last invoice', z.last_invoice ?? '—');
  await row('Reported / not yet reported', `${z.reported} / ${z.unreported}`);
  doc
    .font('Helvetica')
    .fontSize(8)
    .text(`Chain head: ${z.chain_head ?? '—'}`, 48, doc.y + 6);
  doc.end();
  return done;
}
