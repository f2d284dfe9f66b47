// The report thread (worker_threads): renders the Z report PDF off the till's thread. pdfkit lays
// a PDF out synchronously and keeps its fonts in the heap of whoever loads it; here neither the
// till's event loop nor its heap carries them, and the thread ends when idle (report-thread-host.ts).
// Bundled to dist/main/report-thread.cjs by scripts/build.mjs.
import { parentPort } from 'node:worker_threads';
import { zReportPdf } from './z-report-pdf';
import type { ReportJob, ReportReply } from './report-thread-protocol';

const port = parentPort;
if (!port) throw new Error('report-thread.cjs runs as a worker thread (report-thread-host.ts starts it)');

port.on('message', (job: ReportJob) => {
  void render(job).then(
    (bytes) => port.postMessage({ id: job.id, ok: true, bytes } satisfies ReportReply, [bytes.buffer as ArrayBuffer]),
    (e: unknown) => port.postMessage({ id: job.id, ok: false, message: (e as Error).message } satisfies ReportReply),
  );
});

async function render(job: ReportJob): Promise<Uint8Array> {
  if (job.type !== 'zReportPdf') throw new Error(`unknown report job ${String(job.type)}`);
  const pdf = await zReportPdf(job.z, { yieldEachLine: false });
  // A buffer of its own to transfer (a small Buffer can be a slice of Node's shared pool).
  return new Uint8Array(pdf);
}
