// The till's own channels: the fiscal period banner and B2B buyer look-up.
import { handlers } from '../handler';
import { today } from '../common';
import { periodState } from '../reports/z-service';
import { saveCustomer } from './service';

export const tillHandlers = handlers({
  'till.period': (_req, { services }) => periodState(services.data, today(services)),
  'customers.search': (req, { services }) => ({ items: services.data.customers.search(req.query) }),
  'customers.save': (req, { services }) => saveCustomer(services.data, req.party),
});
