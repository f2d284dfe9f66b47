// The vendor mappers by vendor name (the `ingest --source` values and the connectors' lookup).
import type { CaptureVendor, Mapper } from './outcome';
import { mapSquare } from './square/map-square';
import { mapToast } from './toast/map-toast';
import { mapLightspeedX } from './lightspeed-x/map-lightspeed-x';
import { mapLightspeedR } from './lightspeed-r/map-lightspeed-r';

export const MAPPERS: Record<CaptureVendor, Mapper> = {
  square: mapSquare,
  toast: mapToast,
  'lightspeed-x': mapLightspeedX,
  'lightspeed-r': mapLightspeedR,
};
