// Reports: the day summary, Z reports and the day close, CSV and PDF exports.
import { lagosDayBounds } from '../../../shared/domain/lagos-time';
import { InvalidInput } from '../../../shared/domain/sale';
import { summariseDay, summaryFromTotals } from '../../../shared/reports/day-summary';
import { invoicesToCsv, type CsvInvoice } from '../../../shared/reports/csv';
import { zReportPdf } from '../../reports/z-report-pdf';
import type { AppServices } from '../../app/services';
import { handlers } from '../handler';
import { requireBusiness, today } from '../common';
import { closeDay, zReport, type ZContext } from './z-service';

function zContext(s: AppServices): ZContext {
  return { business: requireBusiness(s), now: s.now(), demo: s.isDemo, today: today(s) };
}

export const reportHandlers = handlers({
  'reports.daySummary': (req, { services }) => {
    requireBusiness(services);
    lagosDayBounds(req.date);
    const options = { demo: services.isDemo };
    const totals = services.data.reportTotals.day(req.date);
    return totals ? summaryFromTotals(req.date, totals, options) : summariseDay(req.date, services.data.reports.dayInvoices(req.date), options);
  },

  'reports.zReport': (req, { services }) => {
    lagosDayBounds(req.date);
    return zReport(services.data, req.date, zContext(services));
  },

  'reports.closeDay': (req, { services }) => closeDay(services.data, req.date, zContext(services)),

  'export.csv': (req, { services }) => {
    const b = requireBusiness(services);
    if (req.to < req.from) throw new InvalidInput(`to: ${req.to} is before from ${req.from}`);
    const days = (Date.parse(`${req.to}T00:00:00Z`) - Date.parse(`${req.from}T00:00:00Z`)) / 86_400_000 + 1;
    if (days > 92) throw new InvalidInput(`to: at most 92 days per export (asked for ${days})`);
    const invoices: CsvInvoice[] = [];
    for (let d = 0; d < days; d++) {
      const date = new Date(Date.parse(`${req.from}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);
      invoices.push(...services.data.reports.dayInvoices(date));
    }
    const name = req.from === req.to ? req.from : `${req.from}_${req.to}`;
    return {
      filename: `taxpoynt-${b.terminal}-${name}${services.isDemo ? '-DEMO' : ''}.csv`,
      csv: invoicesToCsv(invoices),
      rows: invoices.length,
    };
  },

  'export.zReportPdf': async (req, { services }) => {
    lagosDayBounds(req.date);
    const z = zReport(services.data, req.date, zContext(services));
    const pdf = await zReportPdf(z);
    return { filename: `z-report-${z.business.terminal}-${req.date}${z.demo ? '-DEMO' : ''}.pdf`, pdfBase64: pdf.toString('base64') };
  },
});
