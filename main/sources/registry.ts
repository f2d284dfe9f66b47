// The I/O half of every source, keyed by the ids of shared/sources/registry.ts: a source listed
// there but not here (or here but not there) does not compile. Consumers take a SourceRegistry
// (default BUILT_IN_SOURCES), so a test (or a plug-in build) can run with extra sources.
import { SOURCE_IDS, type SourceId } from '../../shared/sources/registry';
import type { SourceDescriptor } from './source';
import { square } from './square/source';
import { toast } from './toast/source';
import { lightspeedX } from './lightspeed-x/source';
import { lightspeedR } from './lightspeed-r/source';
import { manual } from './manual/source';
import { canonical } from './canonical/source';
import { demo } from './demo/source';
import { registerLink } from './register-link/source';
import { hubspot } from './hubspot/source';
import { salesforce } from './salesforce/source';
import { pipedrive } from './pipedrive/source';

const BUILT_IN: { readonly [K in SourceId]: SourceDescriptor } = {
  square,
  toast,
  'lightspeed-x': lightspeedX,
  'lightspeed-r': lightspeedR,
  manual,
  canonical,
  demo,
  'register-link': registerLink,
  hubspot,
  salesforce,
  pipedrive,
};

/** Sources by id, in registry order. */
export class SourceRegistry {
  private readonly byId: ReadonlyMap<string, SourceDescriptor>;

  constructor(descriptors: readonly SourceDescriptor[]) {
    const m = new Map<string, SourceDescriptor>();
    for (const d of descriptors) {
      if (m.has(d.info.id)) throw new Error(`source registry: "${d.info.id}" is registered twice`);
      m.set(d.info.id, d);
    }
    this.byId = m;
  }

  /** This registry plus more sources (tests, plug-ins); an id already present is an error. */
  with(...more: SourceDescriptor[]): SourceRegistry {
    return new SourceRegistry([...this.byId.values(), ...more]);
  }

  get(id: string): SourceDescriptor | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  all(): SourceDescriptor[] {
    return [...this.byId.values()];
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  /** Sources with stored settings and a connector (`connect`, `poll`, the capture service). */
  connectable(): SourceDescriptor[] {
    return this.all().filter((d) => d.info.settings && d.connector);
  }

  /** Sources whose own JSON `ingest --source` maps. */
  mappable(): SourceDescriptor[] {
    return this.all().filter((d) => d.mapper);
  }

  /** The shared infos (settings schemas) of every source, for ConnectorSettings. */
  infos() {
    return this.all().map((d) => d.info);
  }
}

export const BUILT_IN_SOURCES = new SourceRegistry(
  SOURCE_IDS.map((id) => {
    const d = BUILT_IN[id];
    // The key and the descriptor's own id must agree (a copy-paste slip would route one source's webhooks to another).
    if (d.info.id !== id) throw new Error(`main/sources/registry.ts: entry "${id}" holds the descriptor of "${d.info.id}"`);
    return d;
  }),
);
