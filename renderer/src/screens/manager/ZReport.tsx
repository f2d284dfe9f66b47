// Z report (end of day): the day's totals as the ledger has them, close the day, print, CSV, PDF.
import { useEffect, useState } from 'react';
import { invoke } from '../../api/client';
import type { ZReport as Z } from '../../../../shared/ipc/contract';
import { SummaryFigures } from './DaySummary';
import { lagosDateTime, lagosToday } from '../../lib/format';
import { message } from '../../lib/errors';
import { handleLocked } from '../../stores/invoices';
import { base64ToBytes, download } from '../../lib/download';
import { exportCsv } from '../../api/export-csv';

export function ZReport() {
  const [date, setDate] = useState(lagosToday());
  const [z, setZ] = useState<Z | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const fail = (e: unknown) => {
    if (!handleLocked(e)) setError(message(e));
  };

  useEffect(() => {
    setError(null);
    setNotice(null);
    invoke('reports.zReport', { date }).then(setZ, fail);
  }, [date]);

  const close = async () => {
    if (!window.confirm(`Close ${date}? The Z report gets its number and is final.`)) return;
    try {
      setZ(await invoke('reports.closeDay', { date }));
      setNotice('Day closed');
    } catch (e) {
      fail(e);
    }
  };
  const csv = async () => {
    try {
      const r = await exportCsv(date, date);
      download(r.filename, r.data, 'text/csv');
      setNotice(`${r.rows} rows exported`);
    } catch (e) {
      fail(e);
    }
  };
  const pdf = async () => {
    try {
      const r = await invoke('export.zReportPdf', { date });
      download(r.filename, base64ToBytes(r.pdfBase64), 'application/pdf');
      setNotice('PDF saved');
    } catch (e) {
      fail(e);
    }
  };

  return (
    <div className="stack z-report" data-testid="z-report">
      <div className="filters no-print">
        <label>
          Day
          <input type="date" aria-label="Z report day" value={date} onChange={(e) => e.target.value && setDate(e.target.value)} />
        </label>
        <button type="button" onClick={() => window.print()}>
          Print
        </button>
        <button type="button" onClick={() => void csv()}>
          Export CSV
        </button>
        <button type="button" onClick={() => void pdf()}>
          Export PDF
        </button>
        <button type="button" className="primary" disabled={!z || !!z.closed} onClick={() => void close()}>
          {z?.closed ? `Closed (Z ${z.closed.z_number})` : 'Close the day'}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {notice && <p className="notice">{notice}</p>}
      {z && (
        <>
          <h2>
            Z report {z.date}
            {z.closed ? ` · Z ${z.closed.z_number}` : ' · not closed'} {z.demo && <span className="badge demo">DEMO</span>}
          </h2>
          <dl className="kv">
            <dt>Business</dt>
            <dd>
              {z.business.name} · TIN {z.business.tin} · terminal {z.business.terminal}
            </dd>
            <dt>Invoices</dt>
            <dd>
              {z.first_invoice ?? '–'} … {z.last_invoice ?? '–'}
            </dd>
            <dt>Reported</dt>
            <dd>
              {z.reported} reported, {z.unreported} not yet
            </dd>
            <dt>Chain head</dt>
            <dd className="mono small">{z.chain_head ?? '–'}</dd>
            <dt>Generated</dt>
            <dd>
              {lagosDateTime(Math.floor(z.generated_at / 1000))}
              {z.closed ? ` · closed ${lagosDateTime(Math.floor(z.closed.closed_at / 1000))}` : ''}
            </dd>
          </dl>
          <SummaryFigures s={z} />
        </>
      )}
    </div>
  );
}
