// The CSV export. In a browser the server streams it (POST /api/export/csv): the file is read in
// chunks as it arrives, rows counted on the way, and never built as one string in the service.
// In Electron the 'export.csv' channel answers with the text.
import { invoke } from './client';
import { ApiError } from './transport';

export interface CsvExport {
  filename: string;
  rows: number;
  /** The first lines, for the screen. */
  head: string;
  data: BlobPart[];
}

const headOf = (text: string) => text.split('\n').slice(0, 6).join('\n');

export async function exportCsv(from: string, to: string): Promise<CsvExport> {
  if (window.taxpoynt) {
    const r = await invoke('export.csv', { from, to });
    return { filename: r.filename, rows: r.rows, head: headOf(r.csv), data: [r.csv] };
  }
  let res: Response;
  try {
    res = await fetch(new URL('api/export/csv', window.location.href), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from, to }),
    });
  } catch (e) {
    throw new ApiError('unreachable', `cannot reach the TaxPoynt POS service (${(e as Error).message})`);
  }
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiError(body?.error?.code ?? 'internal', body?.error?.message ?? `export: HTTP ${res.status}`, res.status);
  }
  const filename = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'export.csv';
  const data: BlobPart[] = [];
  const decoder = new TextDecoder();
  let head = '';
  let rowEnds = 0;
  let quoted = false;
  let prev = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    data.push(value);
    if (head.split('\n').length <= 6) head += decoder.decode(value, { stream: true });
    // Rows end with CRLF outside quotes (a doubled quote toggles twice: no change).
    for (const byte of value) {
      if (byte === 0x22) quoted = !quoted;
      else if (byte === 0x0a && prev === 0x0d && !quoted) rowEnds++;
      prev = byte;
    }
  }
  return { filename, rows: Math.max(0, rowEnds - 1), head: headOf(head), data };
}
