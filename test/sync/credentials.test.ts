// Credentials come from the SecretStore (names fixed here), endpoints from settings.
import { describe, expect, it } from 'vitest';
import type { SecretStore } from '../../main/app/secret-store';
import { MissingCredentials, saveSyncSecrets, syncConfigFromSecrets, SYNC_SECRET_NAMES } from '../../main/sync/credentials';

/** A storage test double (the real file/safeStorage stores are APP-MAIN's). */
class MemorySecrets implements SecretStore {
  private readonly m = new Map<string, string>();
  get(n: string) {
    return this.m.get(n);
  }
  set(n: string, v: string) {
    this.m.set(n, v);
  }
  delete(n: string) {
    this.m.delete(n);
  }
  names() {
    return [...this.m.keys()];
  }
}

describe('sync credentials from the SecretStore', () => {
  it('names every missing piece', () => {
    const s = new MemorySecrets();
    expect(() => syncConfigFromSecrets(s, { firsBaseUrl: 'https://firs.example', cloudBaseUrl: 'https://cloud.example' })).toThrow(
      new MissingCredentials(['the FIRS API key', 'the FIRS API secret', 'the TaxPoynt cloud token']),
    );
    saveSyncSecrets(s, { firsApiKey: 'k' });
    expect(() => syncConfigFromSecrets(s, { firsBaseUrl: '' })).toThrow(/the FIRS base URL, the FIRS API secret missing/);
  });

  it('builds the FIRS and cloud configuration', () => {
    const s = new MemorySecrets();
    saveSyncSecrets(s, { firsApiKey: 'k', firsApiSecret: 's', cloudToken: 't' });
    expect(s.names().sort()).toEqual(Object.values(SYNC_SECRET_NAMES).sort());
    expect(syncConfigFromSecrets(s, { firsBaseUrl: 'https://firs.example' })).toEqual({
      firs: { baseUrl: 'https://firs.example', apiKey: 'k', apiSecret: 's' },
    });
    expect(syncConfigFromSecrets(s, { firsBaseUrl: 'https://firs.example', cloudBaseUrl: 'https://c.example' }).cloud).toEqual({
      baseUrl: 'https://c.example',
      token: 't',
    });
  });
});
