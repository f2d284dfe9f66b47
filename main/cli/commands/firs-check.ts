// `taxpoynt-pos firs-check [--firs-url U] [--json]`: the onboarding self-check against the
// platform with this business's own keys (see main/firs/firs-check.ts). Keys come from
// TAXPOYNT_FIRS_API_KEY / TAXPOYNT_FIRS_API_SECRET, else the data folder's secret store (what the
// app saved) — never from flag values. Exit 0 only when every check passes, 1 when any fails,
// 2 for bad input.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../ledger/database';
import { Ledger } from '../../ledger/ledger';
import { resolveDataDir, ledgerFile } from '../../app/data-dir';
import { AppSettings } from '../../app/settings';
import { FileSecretStore, SECRETS_FILE } from '../../app/file-secret-store';
import { FirsClient } from '../../firs/firs-client';
import { firsCheck, formatReport } from '../../firs/firs-check';
import { SYNC_SECRET_NAMES } from '../../sync/credentials';
import type { CliContext, CommandModule } from '../context';
import { out } from '../context';
import { UsageError } from '../errors';
import { SYNC_ENV } from './sync';

export const firsCheckCommands: CommandModule = (program: Command, ctx: CliContext) => {
  program
    .command('firs-check')
    .description(
      `check this business against the FIRS/NRS platform: health, credentials, profile codes, IRN validation, and validate (never sign) a sample B2C invoice, B2B invoice and credit note; keys from ${SYNC_ENV.apiKey}/${SYNC_ENV.apiSecret} or the app's secret store`,
    )
    .option('--firs-url <url>', `the platform's base URL (default: ${SYNC_ENV.firsUrl}, else the app's setting)`)
    .option('--timeout-ms <ms>', 'per-request timeout', '15000')
    .option('--json', 'the report as JSON')
    .action(async (o: { firsUrl?: string; timeoutMs: string; json?: boolean }) => {
      const dataDir = resolveDataDir(ctx.globals().dataDir);
      const timeoutMs = Number(o.timeoutMs);
      if (!(Number.isInteger(timeoutMs) && timeoutMs > 0))
        throw new UsageError(`--timeout-ms: "${o.timeoutMs}" is not a positive whole number`);
      const db = openDatabase(ledgerFile(dataDir));
      try {
        const business = new Ledger(db).getBusiness();
        if (!business) throw new UsageError('this terminal is not set up: run `taxpoynt-pos setup` first');
        const baseUrl = o.firsUrl ?? process.env[SYNC_ENV.firsUrl] ?? new AppSettings(db).get('firs')?.baseUrl ?? undefined;
        if (!baseUrl) throw new UsageError(`--firs-url: required (or set ${SYNC_ENV.firsUrl}, or save it in Settings)`);
        if (!/^https?:\/\//.test(baseUrl)) throw new UsageError(`--firs-url: "${baseUrl}" is not an http(s) URL`);
        const store = existsSync(join(dataDir, SECRETS_FILE)) ? new FileSecretStore(dataDir) : undefined;
        const apiKey = process.env[SYNC_ENV.apiKey] || store?.get(SYNC_SECRET_NAMES.firsApiKey);
        const apiSecret = process.env[SYNC_ENV.apiSecret] || store?.get(SYNC_SECRET_NAMES.firsApiSecret);
        if (!apiKey || !apiSecret)
          throw new UsageError(`the FIRS API key and secret: set ${SYNC_ENV.apiKey} and ${SYNC_ENV.apiSecret} (or save them in Settings)`);
        const report = await firsCheck(new FirsClient({ baseUrl, apiKey, apiSecret, timeoutMs }), business, baseUrl);
        if (o.json) out(report);
        else process.stdout.write(formatReport(report));
        if (!report.ok) process.exitCode = 1;
      } finally {
        db.close();
      }
    });
};
