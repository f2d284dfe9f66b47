// Catalogue channels: the till searches, looks up scans and reads quick keys; the manager edits.
import { handlers } from '../handler';
import { requireBusiness } from '../common';
import { exportCatalogueCsv, importCatalogueCsv } from './service';

export const catalogueHandlers = handlers({
  'catalogue.search': (req, { services }) => ({ items: services.data.catalogue.search(req.query) }),
  'catalogue.lookup': (req, { services }) => ({ product: services.data.catalogue.lookup(req.code) ?? null }),
  'catalogue.favourites': (_req, { services }) => ({ items: services.data.catalogue.favourites() }),
  'catalogue.list': (_req, { services }) => ({ items: services.data.catalogue.list() }),
  'catalogue.save': (req, { services }) => ({ product: services.data.catalogue.save(req.id, req.product) }),
  'catalogue.delete': (req, { services }) => ({ deleted: services.data.catalogue.delete(req.id) }),
  'catalogue.importCsv': (req, { services }) => importCatalogueCsv(services.data, req.csv),
  'catalogue.exportCsv': (_req, { services }) => exportCatalogueCsv(services.data, requireBusiness(services).terminal),
});
