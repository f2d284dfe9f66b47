// The I/O half of a source: what the capture service, the webhook receiver, the CLI and the
// settings handlers need from it. One descriptor per source, in main/sources/<id>/source.ts,
// listed once in main/sources/registry.ts. Every part is optional except `info`: a CRM may only
// poll, a serial register link only `start`s, the till and canonical files only have an id.
import type { SecretStore } from '../app/secret-store';
import type { Mapper } from '../../shared/capture/outcome';
import type { SourceInfo } from '../../shared/sources/source-info';
import type { SourceConnector, ConnectorDeps } from '../capture/connector';
import type { HttpClient } from '../capture/http';
import type { VerifyResult } from '../capture/signatures/verify';
import type { TokenSet } from '../capture/tokens';
import type { WebhookHandler } from '../capture/webhooks/handlers';

/** Stored settings as every consumer sees them (each source's schema adds its own fields). */
export interface BaseConnectorConfig {
  vendor: string;
  pollIntervalS: number;
  enabled: boolean;
  mapOptions?: Record<string, unknown> | undefined;
}

/** A `connect` flag this source adds (commander syntax: '--restaurant <guid>'). */
export interface ConnectFlag {
  flags: string;
  description: string;
  /** The flag may be given several times; its value is the list. */
  repeatable?: boolean;
}

/** The `connect` command's parsed flags (commander's camelCase names); secrets already resolved. */
export type ConnectFlags = Record<string, unknown> & {
  clientId?: string;
  clientSecret?: string;
  accessToken?: string;
  refreshToken?: string;
  code?: string;
  codeVerifier?: string;
  redirectUri?: string;
};

export interface ConnectHelpers {
  /** Settings as stored before this `connect` (empty object for a first connect). */
  prev: Record<string, unknown>;
  /** `{ key: value }` when the flag was given, else the stored value, else nothing. */
  pick(key: string, value: unknown): Record<string, unknown>;
  /** A numeric flag's value; a usage error naming the flag when it is not a number. */
  num(value: unknown, flag: string): number | undefined;
  /** Throws a usage error naming the flag when the value is missing. */
  need<T>(value: T | undefined, flag: string): T;
}

export interface ConnectSpec<C extends BaseConnectorConfig> {
  /** Flags beyond the common ones every connector has (see main/cli/commands/capture-connect.ts). */
  flags: readonly ConnectFlag[];
  /** The settings input (without vendor and the common fields) from the flags, over the stored ones. */
  settings(flags: ConnectFlags, h: ConnectHelpers): Record<string, unknown>;
  /** OAuth step 1: the URL the merchant opens. Absent: `noCodeFlow` explains why. */
  authorize?(config: C, flags: ConnectFlags, h: ConnectHelpers & { state: string }): { url: string; verifier?: string };
  /** OAuth step 2: the code from the redirect → tokens. */
  exchangeCode?(
    config: C,
    flags: ConnectFlags,
    h: ConnectHelpers & { http: HttpClient; secrets: SecretStore; now: number; code: string; clientSecret(): string },
  ): Promise<TokenSet>;
  /** Said when --authorize/--code are given to a source without a code flow. */
  noCodeFlow?: string;
}

/** Checks a captured webhook offline (`webhook-verify`): which inputs the scheme signs, and the check. */
export interface SignatureSpec {
  /** Inputs this scheme needs beyond secret, signature and body, with the usage message when absent. */
  needs: Partial<Record<'url' | 'timestamp', string>>;
  verify(i: { secret: string; signature: string; body: Buffer; url?: string; method?: string; timestamp?: string }): VerifyResult;
}

export interface SourceDescriptor<C extends BaseConnectorConfig = BaseConnectorConfig> {
  /** Id, name, kind, auth, settings schema (shared/sources/<id>/source.ts). */
  readonly info: SourceInfo;
  /** The source's own JSON → outcomes (shared/capture/<id>/): `ingest --source <id>` and the connector. */
  readonly mapper?: Mapper;
  /** The running connector (poll source, long-lived link, connection test) for stored settings. */
  connector?(config: C, deps: ConnectorDeps): SourceConnector;
  /** Its webhook handler (route /webhooks/<id>) when the source has webhooks. */
  webhook?(config: C, deps: ConnectorDeps, connector: SourceConnector): WebhookHandler;
  /** Offline webhook signature check for `webhook-verify --source <id>`. */
  readonly signature?: SignatureSpec;
  /** How `connect <id>` builds settings and runs the OAuth steps. */
  readonly connect?: ConnectSpec<C>;
}

/** A descriptor typed to its own settings, stored in the registry as the general shape. */
export function defineSource<C extends BaseConnectorConfig>(d: SourceDescriptor<C>): SourceDescriptor {
  return d as SourceDescriptor;
}
