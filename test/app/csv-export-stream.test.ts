// The CSV export in browser mode over real loopback HTTP: streamed (chunked, the first bytes on the
// wire before the last page of invoices is read), the same text as the whole-file export was, and
// the same refusals as the 'export.csv' channel.
import { afterEach, expect, it } from 'vitest';
import { request } from 'node:http';
import { AppServices } from '../../main/app/services';
import { AppServer } from '../../main/server/app-server';
import { invoicesToCsv, parseCsv } from '../../shared/reports/csv';
import { csvChunks, EXPORT_PAGE, EXPORT_SLICE_MS } from '../../main/features/reports/csv-export';
import { BUSINESS, keyPair, sampleSale, simpleSale, tempDir } from '../support/fixture';

const NOW = new Date('2026-11-24T20:00:00+01:00');
const PIN = '246810';
const DAYS = ['2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24'];
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function boot() {
  const services = new AppServices({ dataDir: tempDir(), mode: 'browser', now: () => NOW, demoFeedMs: 0, watchMs: 60_000, log: () => {} });
  await services.configure(BUSINESS, keyPair().keysFileJson, PIN);
  services.start();
  const server = new AppServer({ services, checkResponses: true, log: () => {} });
  await server.listen();
  cleanup.push(async () => {
    await server.close();
    await services.stop();
  });
  return { services, server };
}

interface Streamed {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Pages of invoices the server had read when the first bytes arrived. */
  pagesAtFirstBytes: number;
}

function postCsv(server: AppServer, body: unknown, pages: () => number, pin = PIN): Promise<Streamed> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.baseUrl}/api/export/csv`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.secret}`, 'x-tpos-pin': pin },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let pagesAtFirstBytes = -1;
        res.on('data', (c: Buffer) => {
          if (pagesAtFirstBytes < 0) pagesAtFirstBytes = pages();
          chunks.push(c);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), pagesAtFirstBytes }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

it('streams the export in chunks as it reads the invoices; the text is the whole-file export byte for byte', async () => {
  const { services, server } = await boot();
  for (const [d, day] of DAYS.entries()) {
    services.ledger.issueAll(
      Array.from({ length: 40 }, (_, i) =>
        simpleSale(`${day}-${i}`, `${100 + i}.00`, { occurred_at: `${day}T${String(8 + (i % 10)).padStart(2, '0')}:15:00+01:00` }),
      ),
    );
    // A B2B sale whose buyer's name needs quoting, and a refund: the rows the formatter has to get right.
    const b2b = services.ledger.issue(
      sampleSale({
        external_id: `b2b-${d}`,
        occurred_at: `${day}T18:00:00+01:00`,
        customer: { ...sampleSale().customer, name: 'Ade, "Big" Ltd' },
      }),
    ).invoice;
    services.ledger.issue(
      simpleSale(`r-${d}`, '8400.00', {
        occurred_at: `${day}T19:00:00+01:00`,
        refund_of: b2b.irn,
        lines: [{ ...sampleSale().lines[0], quantity: '1' }],
      }),
    );
  }
  // Count the pages the export reads (42 invoices a day, EXPORT_PAGE a page, then an empty read ends the day).
  let pages = 0;
  const page = services.data.reports.invoicePage;
  (services.data.reports as { invoicePage: typeof page }).invoicePage = (...args) => {
    const last = page(...args);
    if (last !== null) pages++;
    return last;
  };

  const r = await postCsv(server, { from: DAYS[0], to: DAYS.at(-1) }, () => pages);
  expect(r.status).toBe(200);
  expect(r.headers['transfer-encoding']).toBe('chunked');
  expect(r.headers['content-length']).toBeUndefined();
  expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(r.headers['content-disposition']).toBe(`attachment; filename="taxpoynt-${BUSINESS.terminal}-${DAYS[0]}_${DAYS.at(-1)}.csv"`);
  expect(pages).toBe(DAYS.length * Math.ceil(42 / EXPORT_PAGE));
  expect(r.pagesAtFirstBytes).toBeLessThan(pages);

  const whole = invoicesToCsv(DAYS.flatMap((day) => services.data.reports.dayInvoices(day)));
  expect(r.body).toBe(whole);
  const rows = parseCsv(r.body);
  expect(rows).toHaveLength(1 + DAYS.length * 42);
  expect(rows.filter((row) => row[4] === 'credit_note')).toHaveLength(DAYS.length);
  expect(rows.some((row) => row[7] === 'Ade, "Big" Ltd')).toBe(true);

  // The channel (Electron) gives the same text and counts the rows.
  const viaChannel = await services.track(async () => {
    const { HANDLERS } = await import('../../main/app/handlers');
    return HANDLERS['export.csv']({ from: DAYS[0]!, to: DAYS.at(-1)! }, { services, session: undefined as never });
  });
  expect(viaChannel).toEqual({
    filename: `taxpoynt-${BUSINESS.terminal}-${DAYS[0]}_${DAYS.at(-1)}.csv`,
    csv: whole,
    rows: DAYS.length * 42,
  });
});

it('the text does not depend on how it is sliced: a page and a turn per invoice, or one page a day and no turn', async () => {
  const { services } = await boot();
  for (const day of DAYS.slice(0, 3))
    services.ledger.issueAll(
      Array.from({ length: 30 }, (_, i) =>
        simpleSale(`${day}-${i}`, `${100 + i}.25`, { occurred_at: `${day}T10:${String(i).padStart(2, '0')}:00+01:00` }),
      ),
    );
  const read = async (page: number, sliceMs: number) => {
    const chunks: string[] = [];
    const count = { rows: 0 };
    for await (const c of csvChunks(services.data, DAYS, count, page, sliceMs)) chunks.push(c);
    return { chunks, text: chunks.join(''), rows: count.rows };
  };
  const fine = await read(1, 0); // every invoice its own query, the loop given back after each
  const coarse = await read(1_000, Number.POSITIVE_INFINITY); // one query a day, never given back
  const usual = await read(EXPORT_PAGE, EXPORT_SLICE_MS);
  expect(fine.chunks).toHaveLength(1 + 90); // the header, then one chunk an invoice
  expect(coarse.chunks).toHaveLength(2); // the header, then everything
  expect(fine.text).toBe(coarse.text);
  expect(usual.text).toBe(coarse.text);
  expect(coarse.text).toBe(invoicesToCsv(DAYS.flatMap((day) => services.data.reports.dayInvoices(day))));
  expect([fine.rows, coarse.rows, usual.rows]).toEqual([90, 90, 90]);
});

it("refuses as the 'export.csv' channel does: locked, a bad range, too many days", async () => {
  const { server } = await boot();
  const locked = await postCsv(server, { from: '2026-11-24', to: '2026-11-24' }, () => 0, '000000');
  expect(locked.status).toBe(403);
  expect(JSON.parse(locked.body)).toMatchObject({ ok: false, error: { code: 'locked' } });
  const backwards = await postCsv(server, { from: '2026-11-24', to: '2026-11-20' }, () => 0);
  expect(backwards.status).toBe(400);
  expect(JSON.parse(backwards.body)).toMatchObject({
    ok: false,
    error: { code: 'invalid_request', message: 'to: 2026-11-20 is before from 2026-11-24' },
  });
  const long = await postCsv(server, { from: '2026-01-01', to: '2026-11-24' }, () => 0);
  expect(JSON.parse(long.body)).toMatchObject({
    ok: false,
    error: { code: 'invalid_request', message: expect.stringMatching(/at most 92 days/) },
  });
  const bad = await postCsv(server, { from: '24/11/2026', to: '2026-11-24' }, () => 0);
  expect(bad.status).toBe(400);
  expect(JSON.parse(bad.body)).toMatchObject({
    ok: false,
    error: { code: 'invalid_request', message: expect.stringMatching(/^export\.csv: from/) },
  });
});
