// CSV export of any day range (inclusive, up to 92 days), one row per invoice or credit note.
import { useState } from 'react';
import { lagosToday } from '../../lib/format';
import { message } from '../../lib/errors';
import { handleLocked } from '../../stores/invoices';
import { download } from '../../lib/download';
import { exportCsv } from '../../api/export-csv';

export function Exports() {
  const [from, setFrom] = useState(lagosToday());
  const [to, setTo] = useState(lagosToday());
  const [result, setResult] = useState<{ filename: string; rows: number; head: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setError(null);
    setResult(null);
    if (from > to) {
      setError('"From" is after "to"');
      return;
    }
    try {
      const r = await exportCsv(from, to);
      download(r.filename, r.data, 'text/csv');
      setResult({ filename: r.filename, rows: r.rows, head: r.head });
    } catch (e) {
      if (!handleLocked(e)) setError(message(e));
    }
  };
  return (
    <div className="stack">
      <div className="filters">
        <label>
          From
          <input type="date" aria-label="Export from" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          To
          <input type="date" aria-label="Export to" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <button type="button" className="primary" onClick={() => void run()}>
          Export CSV
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <div className="stack" data-testid="export-result">
          <p className="notice">
            {result.filename}: {result.rows} rows
          </p>
          <pre className="receipt-text">{result.head}</pre>
        </div>
      )}
    </div>
  );
}
