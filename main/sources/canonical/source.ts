// Canonical sale JSON: `ingest --source canonical` parses it with shared/domain/sale.ts directly.
import { canonicalSource } from '../../../shared/sources/canonical/source';
import { defineSource } from '../source';

export const canonical = defineSource({ info: canonicalSource });
