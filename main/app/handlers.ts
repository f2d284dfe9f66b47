// The root of the handler map: one handler per contract channel, from the features
// (main/features/<feature>/handlers.ts) combined here. `Handlers` makes a channel no feature
// handles a compile error; `handlers()` makes a non-channel key one; `combine` refuses a channel
// handled twice; test/app/handlers.test.ts checks the map against the contract at run time too.
// Handlers receive requests already validated by the dispatcher (main/app/dispatch.ts).
import { combine, type Handlers } from '../features/handler';
import { appHandlers } from '../features/app/handlers';
import { salesHandlers } from '../features/sales/handlers';
import { invoiceHandlers } from '../features/invoices/handlers';
import { printingHandlers } from '../features/printing/handlers';
import { reportHandlers } from '../features/reports/handlers';
import { syncHandlers } from '../features/sync/handlers';
import { settingsHandlers } from '../features/settings/handlers';
import { registerLinkHandlers } from '../sources/register-link/handlers';
import { catalogueHandlers } from '../features/catalogue/handlers';
import { tillHandlers } from '../features/till/handlers';
import { dealsHandlers } from '../features/deals/handlers';
import { shiftHandlers } from '../features/shifts/handlers';

export { AppError, ManagerSession, type CallContext, type Handler, type Handlers } from '../features/handler';

export const HANDLERS: Handlers = combine(
  appHandlers,
  salesHandlers,
  invoiceHandlers,
  printingHandlers,
  reportHandlers,
  syncHandlers,
  settingsHandlers,
  registerLinkHandlers,
  catalogueHandlers,
  tillHandlers,
  dealsHandlers,
  shiftHandlers,
);
