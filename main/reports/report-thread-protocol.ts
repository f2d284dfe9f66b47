// Messages between the app and the report thread (report-thread.ts ↔ report-thread-host.ts).
import type { ZReport } from '../../shared/ipc/contract';

export type ReportJob = { id: number; type: 'zReportPdf'; z: ZReport };

export type ReportReply = { id: number; ok: true; bytes: Uint8Array } | { id: number; ok: false; message: string };
