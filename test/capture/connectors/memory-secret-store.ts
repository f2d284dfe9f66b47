// In-memory SecretStore: a test double of storage only (the file implementation is APP-MAIN's).
import type { SecretStore } from '../../../main/app/secret-store';

export class MemorySecretStore implements SecretStore {
  readonly map = new Map<string, string>();
  /** Every write in order, to prove a rotated refresh token was stored before use. */
  readonly writes: { name: string; value: string }[] = [];
  get(name: string): string | undefined {
    return this.map.get(name);
  }
  set(name: string, value: string): void {
    this.map.set(name, value);
    this.writes.push({ name, value });
  }
  delete(name: string): void {
    this.map.delete(name);
  }
  names(): string[] {
    return [...this.map.keys()];
  }
}
