// The vendor mappers by vendor name (the `ingest --source` values and the connectors' lookup).
import type { CaptureVendor, Mapper } from './outcome';
import { mapSquare } from './square/map-square';

export const MAPPERS: Partial<Record<CaptureVendor, Mapper>> = {
  square: mapSquare,
};
