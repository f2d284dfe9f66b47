// The till: sales arrive through the `sale.issue` IPC channel, not a connector.
import { manualSource } from '../../../shared/sources/manual/source';
import { defineSource } from '../source';

export const manual = defineSource({ info: manualSource });
