// Access tokens per connector, kept only in the SecretStore. Renewed a margin before expiry;
// a rotated refresh token is written to the store inside renew's result handling BEFORE the new
// access token is handed out, so a crash can never leave us holding only a revoked refresh token.
import type { SecretStore } from '../app/secret-store';
import { z } from 'zod';
import { ConnectorError } from './errors';

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** ms since epoch; absent for tokens that do not expire (personal access tokens). */
  expiresAt?: number;
}

const TokenSetSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  expiresAt: z.number().optional(),
});

export const secretName = (vendor: string, what: string): string => `capture.${vendor}.${what}`;

export function readTokens(secrets: SecretStore, vendor: string): TokenSet | undefined {
  const raw = secrets.get(secretName(vendor, 'tokens'));
  if (!raw) return undefined;
  try {
    return TokenSetSchema.parse(JSON.parse(raw));
  } catch {
    throw new ConnectorError('not_configured', `${vendor}: the stored tokens are unreadable; connect again`);
  }
}

export function writeTokens(secrets: SecretStore, vendor: string, tokens: TokenSet): void {
  secrets.set(secretName(vendor, 'tokens'), JSON.stringify(tokens));
}

/** Gets a fresh TokenSet: a refresh (OAuth), a login (Toast), or a refusal (personal tokens). */
export type Renew = (current: TokenSet | undefined) => Promise<TokenSet>;

export class TokenKeeper {
  private inFlight: Promise<TokenSet> | undefined;

  constructor(
    private readonly secrets: SecretStore,
    readonly vendor: string,
    private readonly renew: Renew,
    private readonly now: () => number = () => Date.now(),
    /** Renew this long before expiry (Square recommends well before its 30 days). */
    private readonly marginMs = 5 * 60_000,
  ) {}

  current(): TokenSet | undefined {
    return readTokens(this.secrets, this.vendor);
  }

  async accessToken(): Promise<string> {
    const t = this.current();
    if (t && (t.expiresAt === undefined || t.expiresAt - this.marginMs > this.now())) return t.accessToken;
    return (await this.refresh(t)).accessToken;
  }

  /** The vendor refused `accessToken`: renew unless someone already did. */
  async rejected(accessToken: string): Promise<string> {
    const t = this.current();
    if (t && t.accessToken !== accessToken) return t.accessToken;
    return (await this.refresh(t)).accessToken;
  }

  /** One renewal at a time: a rotating refresh token must be spent exactly once. */
  private refresh(current: TokenSet | undefined): Promise<TokenSet> {
    this.inFlight ??= (async () => {
      try {
        const next = await this.renew(current);
        writeTokens(this.secrets, this.vendor, next);
        return next;
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }
}
