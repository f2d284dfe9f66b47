// Canonical sale JSON (shared/domain/sale.ts) from a file or another program: `ingest --source canonical`.
import type { SourceInfo } from '../source-info';

export const canonicalSource = {
  id: 'canonical',
  name: 'Canonical sale JSON',
  kind: 'manual',
  auth: 'none',
} as const satisfies SourceInfo<'canonical'>;
