// The demo store's simulated feed (main/app/demo-store.ts): labelled DEMO, never reported.
import type { SourceInfo } from '../source-info';

export const demoSource = { id: 'demo', name: 'Demo feed', kind: 'demo', auth: 'none' } as const satisfies SourceInfo<'demo'>;
