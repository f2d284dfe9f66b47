// Settings as the manager sees them (never a secret's value), the stored keys again for a
// business change, and the "test connection" checks. A POS connector's settings: pos-connector.ts.
import { existsSync } from 'node:fs';
import { z } from 'zod';
import type { ParsedRequest, Response, SettingsView } from '../../../shared/ipc/contract';
import type { AppServices } from '../../app/services';
import { FirsClient } from '../../firs/firs-client';
import { ConnectorSettings } from '../../capture/config';
import { BUILT_IN_SOURCES } from '../../sources/registry';
import { HttpClient } from '../../capture/http';
import { createHttpClient } from '../../net/http-client';
import { TimeoutError, UnreachableError } from '../../net/net-errors';
import { VENDOR_REQUEST_BACKOFF, realClock } from '../../net/retry';
import { AppError } from '../handler';
import { storedCredentials } from './pos-connector';

export { savePosConnector } from './pos-connector';

export function settingsView(s: AppServices): SettingsView {
  const names = s.secrets.names();
  const pos = new ConnectorSettings(s.data).list();
  return {
    business: s.ledger.getBusiness() ?? null,
    keysLoaded: s.data.settings.has('crypto_keys'),
    printer: s.settings.get('printer')!,
    firs: {
      baseUrl: s.settings.get('firs')?.baseUrl ?? null,
      apiKeySet: names.includes('firs.apiKey'),
      apiSecretSet: names.includes('firs.apiSecret'),
    },
    cloud: { baseUrl: s.settings.get('cloud')?.baseUrl ?? null, tokenSet: names.includes('cloud.token') },
    pos: BUILT_IN_SOURCES.connectable().map(({ info: { id: vendor, name, kind } }) => {
      const p = pos.find((x) => x.vendor === vendor);
      return {
        vendor,
        name,
        kind,
        enabled: p?.enabled ?? false,
        baseUrl: (p && 'baseUrl' in p ? p.baseUrl : p && 'loginUrl' in p ? p.loginUrl : null) ?? null,
        credentialsSet: names.some((n) => n.startsWith(`capture.${vendor}.`)),
        secretsSet: storedCredentials(s.secrets, vendor),
        config: p ? ({ ...p } as Record<string, unknown>) : null,
      };
    }),
    serial: s.settings.get('serial')!,
    // Names of stored secrets only; demo's private key is not a credential the manager manages.
    secretNames: names.filter((n) => n !== 'browser.token'),
  };
}

const StoredKeys = z.object({ publicKeyPem: z.string(), certificate: z.string() });

/** Stored key file text again (JSON form), so the business profile can change without re-importing keys. */
export function storedKeysText(s: AppServices): string {
  const stored = s.data.settings.get('crypto_keys');
  if (stored === undefined) throw new AppError('not_setup', 'cryptoKeys: no keys are stored yet; choose the crypto_keys.txt file');
  const k = StoredKeys.parse(JSON.parse(stored));
  return JSON.stringify({ public_key: Buffer.from(k.publicKeyPem).toString('base64'), certificate: k.certificate });
}

export async function testConnection(
  s: AppServices,
  target: ParsedRequest<'settings.testConnection'>['target'],
): Promise<Response<'settings.testConnection'>> {
  const started = Date.now();
  switch (target) {
    case 'firs': {
      const cfg = s.firsConfig();
      if (!cfg) return { ok: false, message: 'FIRS is not configured: enter the base URL, API key and API secret' };
      const problem = await new FirsClient({ ...cfg, timeoutMs: 10_000 }).healthProblem();
      return { ok: !problem, message: problem ?? 'FIRS answered healthy', latencyMs: Date.now() - started };
    }
    case 'cloud': {
      const url = s.settings.get('cloud')?.baseUrl;
      const token = s.secrets.get('cloud.token');
      if (!url || !token) return { ok: false, message: 'the TaxPoynt cloud is not configured: enter its URL and token' };
      try {
        const res = await createHttpClient({ timeoutMs: 10_000 }).request({
          method: 'GET',
          url,
          headers: { authorization: `Bearer ${token}` },
        });
        return {
          ok: res.status < 500 && res.status !== 401 && res.status !== 403,
          message: `the cloud answered HTTP ${res.status}`,
          latencyMs: Date.now() - started,
        };
      } catch (e) {
        const why = e instanceof TimeoutError ? 'no answer within 10 s' : e instanceof UnreachableError ? e.code : (e as Error).message;
        return { ok: false, message: `cannot reach ${url}: ${why}` };
      }
    }
    case 'printer': {
      const p = s.printerStatus();
      return { ok: p.printer === 'ready' || p.printer === 'virtual', message: p.message ?? `printer ${p.printer}` };
    }
    case 'serial': {
      const path = s.settings.get('serial')?.path;
      if (!path) return { ok: false, message: 'no serial port is configured' };
      return existsSync(path) ? { ok: true, message: `${path} exists` } : { ok: false, message: `${path} does not exist on this computer` };
    }
    default: {
      const config = new ConnectorSettings(s.data).get(target);
      if (!config) return { ok: false, message: `${target} is not configured: save its settings first` };
      const connector = BUILT_IN_SOURCES.get(config.vendor)!.connector!(config, {
        http: new HttpClient(),
        secrets: s.secrets,
        clock: realClock,
        backoff: { ...VENDOR_REQUEST_BACKOFF, maxAttempts: 1 },
      });
      const r = await connector.testConnection();
      return r.ok
        ? { ok: true, message: r.summary, latencyMs: Date.now() - started }
        : { ok: false, message: r.message, latencyMs: Date.now() - started };
    }
  }
}
