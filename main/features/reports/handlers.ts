// Reports: the day summary, Z reports and the day close, CSV and PDF exports.
import { lagosDayBounds } from '../../../shared/domain/lagos-time';
import { summariseDay, summaryFromTotals } from '../../../shared/reports/day-summary';
import { renderZReportPdf } from '../../reports/report-thread-host';
import type { AppServices } from '../../app/services';
import { handlers } from '../handler';
import { requireBusiness, today } from '../common';
import { closeDay, zReport, type ZContext } from './z-service';
import { csvChunks, planCsvExport } from './csv-export';

function zContext(s: AppServices): ZContext {
  return { business: requireBusiness(s), now: s.now(), demo: s.isDemo, today: today(s) };
}

export const reportHandlers = handlers({
  'reports.daySummary': (req, { services }) => {
    requireBusiness(services);
    lagosDayBounds(req.date);
    const options = { demo: services.isDemo };
    const totals = services.data.reportTotals.day(req.date);
    return totals
      ? summaryFromTotals(req.date, totals, options)
      : summariseDay(req.date, services.data.reports.dayInvoices(req.date), options);
  },

  'reports.zReport': (req, { services }) => {
    lagosDayBounds(req.date);
    return zReport(services.data, req.date, zContext(services));
  },

  'reports.closeDay': (req, { services }) => closeDay(services.data, req.date, zContext(services)),

  'export.csv': async (req, { services }) => {
    const plan = planCsvExport(services, req.from, req.to);
    const count = { rows: 0 };
    const chunks: string[] = [];
    for await (const chunk of csvChunks(services.data, plan.days, count)) chunks.push(chunk);
    return { filename: plan.filename, csv: chunks.join(''), rows: count.rows };
  },

  'export.zReportPdf': async (req, { services }) => {
    lagosDayBounds(req.date);
    const z = zReport(services.data, req.date, zContext(services));
    // Laid out in the report thread: the till's event loop and heap never carry pdfkit.
    const pdf = await renderZReportPdf(z, services.opts.log);
    return { filename: `z-report-${z.business.terminal}-${req.date}${z.demo ? '-DEMO' : ''}.pdf`, pdfBase64: pdf.toString('base64') };
  },
});
