// Command modules added by each capability (receipts, sync, capture, serve, …), registered in order.
// Each module lives in its own file here and owns its commands.
import type { CommandModule } from '../context';
import { captureCommands } from './capture-ingest';
import { receiptCommands } from './receipt';
import { syncCommands } from './sync';
import { serveCommands } from './serve';
import { captureConnectCommands } from './capture-connect';
import { sourcesCommands } from './sources';
import { accessCommands } from './access';
import { firsCheckCommands } from './firs-check';
import { registerLinkCommands } from './register-link';
import { crmCommands } from './crm';
import { zReportCommands } from './z-report';
import { shiftCommands } from './shift';

export const COMMAND_MODULES: readonly CommandModule[] = [
  captureCommands,
  receiptCommands,
  syncCommands,
  serveCommands,
  captureConnectCommands,
  sourcesCommands,
  accessCommands,
  firsCheckCommands,
  registerLinkCommands,
  crmCommands,
  zReportCommands,
  shiftCommands,
];
