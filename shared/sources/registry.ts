// THE list of sources of sales: the one place a source id is defined. Everything else (the IPC
// contract's enums, the CLI's `connect`/`ingest --source`/`poll`, the settings screen, webhook
// routes, the capture service) reads it. The I/O half of each source is listed in
// main/sources/registry.ts, typed over SourceId so a source missing there fails to compile.
// Adding a source: shared/sources/<id>/source.ts + one line here, main/sources/<id>/source.ts +
// one line there (the README's "Adding a source" walks through it).
import type { z } from 'zod';
import type { SourceInfo } from './source-info';
import { squareSource } from './square/source';
import { toastSource } from './toast/source';
import { lightspeedXSource } from './lightspeed-x/source';
import { lightspeedRSource } from './lightspeed-r/source';
import { manualSource } from './manual/source';
import { canonicalSource } from './canonical/source';
import { demoSource } from './demo/source';
import { registerLinkSource } from './register-link/source';
import { hubspotSource } from './hubspot/source';
import { salesforceSource } from './salesforce/source';
import { pipedriveSource } from './pipedrive/source';

export const SOURCES = [
  squareSource,
  toastSource,
  lightspeedXSource,
  lightspeedRSource,
  manualSource,
  canonicalSource,
  demoSource,
  registerLinkSource,
  hubspotSource,
  salesforceSource,
  pipedriveSource,
] as const satisfies readonly SourceInfo[];

type AnySource = (typeof SOURCES)[number];
export type SourceId = AnySource['id'];
/** Every source id, in registry order (a non-empty tuple, for z.enum). */
export const SOURCE_IDS = SOURCES.map((s) => s.id) as [SourceId, ...SourceId[]];

/** Sources with stored connector settings (POS vendors and CRMs). */
type ConnectableSource = Extract<AnySource, { settings: unknown }>;
export type ConnectorId = ConnectableSource['id'];
export const CONNECTOR_IDS = SOURCES.filter((s): s is ConnectableSource => 'settings' in s).map((s) => s.id) as [
  ConnectorId,
  ...ConnectorId[],
];

/** One source's stored settings, by id. */
export type ConnectorConfigOf<Id extends ConnectorId> = z.output<Extract<ConnectableSource, { id: Id }>['settings']>;
/** Any built-in connector's stored settings (discriminated on `vendor`). */
export type BuiltInConnectorConfig = { [K in ConnectorId]: ConnectorConfigOf<K> }[ConnectorId];
export type BuiltInConnectorConfigInput = { [K in ConnectorId]: z.input<Extract<ConnectableSource, { id: K }>['settings']> }[ConnectorId];

export const sourceInfo = (id: string): SourceInfo | undefined => (SOURCES as readonly SourceInfo[]).find((s) => s.id === id);
