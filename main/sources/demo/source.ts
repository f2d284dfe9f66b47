// The demo store's simulated feed (main/app/demo-store.ts) issues its sales itself.
import { demoSource } from '../../../shared/sources/demo/source';
import { defineSource } from '../source';

export const demo = defineSource({ info: demoSource });
