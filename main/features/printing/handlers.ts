// Receipts: preview (as it would print), the original's print, reprints (COPY), a test page.
import { InvalidInput } from '../../../shared/domain/sale';
import { buildReceipt } from '../../../shared/receipt/receipt';
import { layoutReceipt } from '../../../shared/receipt/layout';
import { previewOf } from '../../print/print-service';
import type { AppServices } from '../../app/services';
import { handlers } from '../handler';
import { requireBusiness, requireInvoice, visibleInvoice } from '../common';

function printResult(s: AppServices, queued: boolean, copy: boolean) {
  return { queued, copy, printer: s.printerStatus() };
}

export const printingHandlers = handlers({
  'receipt.preview': (req, { services, session }) => {
    const inv = visibleInvoice(services, session, req.irn);
    const business = requireBusiness(services);
    const width = req.width ?? services.settings.get('printer')!.width;
    const copy = req.copy ?? false;
    const p = services.print?.preview
      ? services.print.preview(inv.irn, { width, copy })
      : previewOf(layoutReceipt(buildReceipt(inv, business, { copy }), { width, nairaSymbol: true }));
    return {
      png: p.png.toString('base64'),
      text: p.text,
      printed_png: p.printedPng.toString('base64'),
      printed_text: p.printedText,
      qr: inv.qr,
      width,
      copy,
    };
  },

  'receipt.print': (req, { services }) => {
    const inv = requireInvoice(services, req.irn);
    if (!services.print) return printResult(services, false, false);
    // The original prints once; after that only a reprint marked COPY.
    if (services.data.outbox.job(inv.counter, 'print')?.status === 'done') {
      throw new InvalidInput(`irn: the receipt of ${inv.invoice_number} was already printed; use reprint (marked COPY)`);
    }
    services.print.kick?.(); // the print service drains the original's outbox job itself
    return printResult(services, true, false);
  },

  'receipt.reprint': async (req, { services, session }) => {
    visibleInvoice(services, session, req.irn);
    if (!services.print) return printResult(services, false, true);
    await services.print.reprint(req.irn);
    return printResult(services, true, true);
  },

  'printer.testPrint': async (_req, { services }) => {
    if (!services.print)
      return { ok: false, message: 'the printing service is not running: set up the terminal first', printer: services.printerStatus() };
    const r = await services.print.testPrint();
    return { ok: r.ok, message: r.message, printer: services.printerStatus() };
  },
});
