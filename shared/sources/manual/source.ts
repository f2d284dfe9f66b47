// The till: sales keyed in on this terminal (sale.source 'manual'). Nothing to connect.
import type { SourceInfo } from '../source-info';

export const manualSource = { id: 'manual', name: 'Till (keyed in)', kind: 'manual', auth: 'none' } as const satisfies SourceInfo<'manual'>;
