// `sync` (report to FIRS/NRS and upload to the TaxPoynt cloud: one pass, or watch), and the
// queue's views: `sync-status`, `sync-problems`, `sync-attempts <IRN>`, `sync-requeue <IRN>`.
// Credentials come from flags or the environment (for scripts); the app reads its SecretStore.
import type { Command } from 'commander';
import { openDatabase } from '../../ledger/database';
import { Ledger } from '../../ledger/ledger';
import { ReportJobs } from '../../ledger/report-jobs';
import { resolveDataDir, ledgerFile } from '../../app/data-dir';
import { SyncService, type SyncStatus } from '../../sync/sync-service';
import { queueStatus } from '../../sync/queue-status';
import { DEFAULT_SYNC_TUNING, SYNC_TUNING_BOUNDS, syncTuning, type SyncTuning } from '../../sync/sync-tuning';
import { AppSettings } from '../../app/settings';
import { InvalidInput } from '../../../shared/domain/sale';
import type { CliContext, CommandModule } from '../context';
import { out } from '../context';
import { UsageError } from '../errors';
import { secretArg } from '../secret-arg';

export const SYNC_ENV = {
  firsUrl: 'TAXPOYNT_FIRS_URL',
  apiKey: 'TAXPOYNT_FIRS_API_KEY',
  apiSecret: 'TAXPOYNT_FIRS_API_SECRET',
  cloudUrl: 'TAXPOYNT_CLOUD_URL',
  cloudToken: 'TAXPOYNT_CLOUD_TOKEN',
} as const;

interface SyncFlags {
  once?: boolean;
  watch?: boolean;
  firsUrl?: string;
  apiKey?: string;
  apiSecret?: string;
  cloudUrl?: string;
  cloudToken?: string;
  timeoutMs?: string;
  ratePerSec?: string;
  burst?: string;
  concurrency?: string;
}

function openDb(globals: { dataDir?: string }) {
  return openDatabase(ledgerFile(resolveDataDir(globals.dataDir)));
}

function need(flag: string, value: string | undefined, env: string): string {
  if (!value) throw new UsageError(`--${flag}: required (or set ${env})`);
  return value;
}

function url(flag: string, value: string): string {
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    throw new UsageError(`--${flag}: "${value}" is not an http(s) URL`);
  }
  return value;
}

/** The ledger's app.sync setting, each value overridden by its flag; out of bounds is a usage error. */
function tuningFlags(o: SyncFlags, settings: AppSettings): SyncTuning {
  const num = (flag: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${flag}: "${v}" is not a number`);
    return n;
  };
  const given = {
    ratePerSec: num('rate-per-sec', o.ratePerSec),
    burst: num('burst', o.burst),
    concurrency: num('concurrency', o.concurrency),
  };
  try {
    const stored = settings.get('sync') ?? DEFAULT_SYNC_TUNING;
    return syncTuning(Object.fromEntries(Object.entries({ ...stored, ...given }).filter(([, v]) => v !== undefined)));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

async function runSync(o: SyncFlags, ctx: CliContext): Promise<void> {
  if (o.once && o.watch) throw new UsageError('--once and --watch: choose one');
  const env = process.env;
  const firsUrl = url('firs-url', need('firs-url', o.firsUrl ?? env[SYNC_ENV.firsUrl], SYNC_ENV.firsUrl));
  const apiKey = need('api-key', secretArg(o.apiKey, '--api-key', SYNC_ENV.apiKey) ?? env[SYNC_ENV.apiKey], SYNC_ENV.apiKey);
  const apiSecret = need(
    'api-secret',
    secretArg(o.apiSecret, '--api-secret', SYNC_ENV.apiSecret) ?? env[SYNC_ENV.apiSecret],
    SYNC_ENV.apiSecret,
  );
  const cloudUrl = o.cloudUrl ?? env[SYNC_ENV.cloudUrl];
  const cloudToken = secretArg(o.cloudToken, '--cloud-token', SYNC_ENV.cloudToken) ?? env[SYNC_ENV.cloudToken];
  if (cloudUrl && !cloudToken) throw new UsageError(`--cloud-token: required with --cloud-url (or set ${SYNC_ENV.cloudToken})`);
  const timeoutMs = o.timeoutMs === undefined ? undefined : Number(o.timeoutMs);
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0))
    throw new UsageError(`--timeout-ms: "${o.timeoutMs}" is not a positive whole number`);

  const db = openDb(ctx.globals());
  const ledger = new Ledger(db);
  if (!ledger.getBusiness()) throw new UsageError('this terminal is not set up: run `taxpoynt-pos setup` first');
  const service = new SyncService({
    db,
    ledger,
    ...tuningFlags(o, new AppSettings(db)),
    firs: { baseUrl: firsUrl, apiKey, apiSecret, ...(timeoutMs ? { timeoutMs } : {}) },
    ...(cloudUrl && cloudToken
      ? { cloud: { baseUrl: url('cloud-url', cloudUrl), token: cloudToken, ...(timeoutMs ? { timeoutMs } : {}) } }
      : {}),
  });

  if (o.watch) {
    service.on('change', (s) => out({ event: 'status', ...s }));
    service.start();
    await new Promise<void>((resolve) => {
      const stop = () => void service.stop().then(resolve);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    out({ event: 'stopped', ...service.status() });
    db.close();
    return;
  }

  service.retryNow(); // a pass asked for by hand does not wait out earlier backoffs
  const { sent, results } = await service.runOnce();
  const status: SyncStatus = service.status();
  out({ sent, results, status });
  db.close();
  if (results.auth > 0 || status.authPaused) {
    process.stderr.write(`sync: ${status.lastError ?? 'FIRS refused the credentials'}\n`);
    process.exitCode = 1;
  } else if (status.collisions > 0) {
    process.stderr.write(`sync: ALARM: ${status.lastError ?? 'an IRN collision'} (taxpoynt-pos sync-problems lists them)\n`);
    process.exitCode = 1;
  } else if (status.profileGaps) {
    process.stderr.write(`sync: ${status.lastError}\n`);
    process.exitCode = 1;
  } else if (!status.online) {
    process.stderr.write(
      `sync: FIRS is unreachable (${status.lastError ?? 'no answer'}); ${status.queueDepth} reports wait in the queue\n`,
    );
    process.exitCode = 1;
  }
}

export const syncCommands: CommandModule = (program: Command, ctx: CliContext) => {
  program
    .command('sync')
    .description(
      `report pending invoices to FIRS/NRS (validate, then sign) and upload to the TaxPoynt cloud; credentials from flags or ${SYNC_ENV.apiKey}, ${SYNC_ENV.apiSecret}, ${SYNC_ENV.firsUrl}, ${SYNC_ENV.cloudUrl}, ${SYNC_ENV.cloudToken}`,
    )
    .option('--once', 'one pass over every job due now, then exit (default)')
    .option('--watch', 'keep running (status lines as JSON) until SIGINT/SIGTERM')
    .option('--firs-url <url>', 'FIRS/NRS API base URL: sandbox, production or an access point provider')
    .option('--api-key <@file|env:NAME>', 'FIRS x-api-key (never the value itself: it would show in ps)')
    .option('--api-secret <@file|env:NAME>', 'FIRS x-api-secret (never the value itself)')
    .option('--cloud-url <url>', 'TaxPoynt cloud base URL (optional)')
    .option('--cloud-token <@file|env:NAME>', 'TaxPoynt cloud bearer token (never the value itself)')
    .option('--timeout-ms <ms>', 'per-request timeout')
    .option(
      '--rate-per-sec <n>',
      `requests per second at most (default: the app.sync setting, else ${DEFAULT_SYNC_TUNING.ratePerSec}; at most ${SYNC_TUNING_BOUNDS.ratePerSec.max})`,
    )
    .option('--burst <n>', `requests at once after a quiet spell (default ${DEFAULT_SYNC_TUNING.burst})`)
    .option(
      '--concurrency <n>',
      `reports in flight (default ${DEFAULT_SYNC_TUNING.concurrency}; at most ${SYNC_TUNING_BOUNDS.concurrency.max})`,
    )
    .action((o: SyncFlags) => runSync(o, ctx));

  program
    .command('sync-status')
    .description('the report queue: depth, oldest unreported B2C receipt (24-hour clock), problems')
    .option('--json', 'JSON output')
    .action((o: { json?: boolean }) => {
      const db = openDb(ctx.globals());
      const s = queueStatus(new ReportJobs(db), Date.now());
      db.close();
      if (o.json) return out(s);
      const age = s.oldestUnreportedAgeS === null ? 'none' : `${(s.oldestUnreportedAgeS / 3600).toFixed(1)} h`;
      process.stdout.write(
        `queue: ${s.queueDepth} waiting\noldest unreported B2C receipt: ${age} (${s.level})\nrejected: ${s.failures}  dead letters: ${s.deadLetters}\n` +
          (s.lastError ? `last error: ${s.lastError}\n` : ''),
      );
    });

  program
    .command('sync-problems')
    .description('reports FIRS rejected (with its details) or that failed repeatedly (dead letters)')
    .option('--json', 'JSON output')
    .action((o: { json?: boolean }) => {
      const db = openDb(ctx.globals());
      const problems = new ReportJobs(db).problems();
      db.close();
      if (o.json) return out(problems);
      for (const p of problems) {
        process.stdout.write(
          `${p.irn}  ${p.status}  attempts ${p.attempts}\n  ${p.message ?? ''}\n${p.details ? `  details: ${p.details}\n` : ''}`,
        );
      }
    });

  program
    .command('sync-attempts <irn>')
    .description("every report attempt for one invoice, with the platform's answers")
    .action((irn: string) => {
      const db = openDb(ctx.globals());
      const ledger = new Ledger(db);
      if (!ledger.findByIrn(irn)) throw new UsageError(`IRN: no invoice ${irn} in this ledger`);
      out(new ReportJobs(db).attempts(irn));
      db.close();
    });

  program
    .command('sync-requeue <irn>')
    .description('send a rejected or dead-lettered report again')
    .action((irn: string) => {
      const db = openDb(ctx.globals());
      const ledger = new Ledger(db);
      const jobs = new ReportJobs(db);
      if (!ledger.findByIrn(irn)) throw new UsageError(`IRN: no invoice ${irn} in this ledger`);
      if (!jobs.requeue(irn))
        throw new InvalidInput(`IRN: ${irn} is not rejected or dead-lettered (its report state is ${jobs.state(irn)})`);
      out({ ok: true, irn, state: jobs.state(irn) });
      db.close();
    });
};
