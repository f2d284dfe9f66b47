// Receipts: preview (as it would print), the original's print, reprints (COPY), a test page.
import { InvalidInput } from '../../../shared/domain/sale';
import { buildReceipt } from '../../../shared/receipt/receipt';
import { layoutReceipt, layoutToText } from '../../../shared/receipt/layout';
import { renderPng } from '../../print/png-render';
import type { AppServices } from '../../app/services';
import { handlers } from '../handler';
import { requireBusiness, requireInvoice } from '../common';

function printResult(s: AppServices, queued: boolean, copy: boolean) {
  return { queued, copy, printer: s.printerStatus() };
}

export const printingHandlers = handlers({
  'receipt.preview': (req, { services }) => {
    const inv = requireInvoice(services, req.irn);
    const business = requireBusiness(services);
    const width = req.width ?? services.settings.get('printer')!.width;
    const copy = req.copy ?? false;
    if (services.print?.preview) {
      const p = services.print.preview(inv.irn, { width, copy });
      return { png: p.png.toString('base64'), text: p.text, qr: inv.qr, width, copy };
    }
    const layout = layoutReceipt(buildReceipt(inv, business, { copy }), { width, nairaSymbol: true });
    return { png: renderPng(layout).toString('base64'), text: layoutToText(layout), qr: inv.qr, width, copy };
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

  'receipt.reprint': async (req, { services }) => {
    requireInvoice(services, req.irn);
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
