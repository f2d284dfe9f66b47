// The till's own channels: the fiscal period banner and B2B buyer look-up.
import { handlers } from '../handler';
import { today } from '../common';
import { periodState } from '../reports/z-service';
import { saveCustomer, saveTillSettings, tillSettings } from './service';

export const tillHandlers = handlers({
  'till.period': (_req, { services }) => periodState(services.data, today(services)),
  'till.settings': (_req, { services }) => tillSettings(services.data),
  'till.saveSettings': (req, { services }) => saveTillSettings(services.data, req),
  'customers.search': (req, { services }) => ({ items: services.data.customers.search(req.query) }),
  'customers.save': (req, { services }) => saveCustomer(services.data, req.party),
  'customers.archive': (req, { services }) => ({ archived: services.data.customers.archive(req.id) }),
});
