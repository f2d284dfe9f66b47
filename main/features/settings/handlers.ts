// Settings: read (no secret values), update (validated first, then written), test a connection.
import { InvalidInput } from '../../../shared/domain/sale';
import { handlers } from '../handler';
import { requireBusiness } from '../common';
import { savePosConnector, settingsView, storedKeysText, testConnection } from './service';

export const settingsHandlers = handlers({
  'settings.get': (_req, { services }) => settingsView(services),

  'settings.update': async (req, { services }) => {
    if (req.managerPin) {
      const r = services.pin.check(req.managerPin.current);
      if (!r.ok) throw new InvalidInput(`managerPin.current: ${r.message}`);
    }
    let restart = false;
    let restartPrint = false;
    if (req.business || req.cryptoKeys) {
      const business = req.business ?? requireBusiness(services);
      services.ledger.configure(business, req.cryptoKeys ?? storedKeysText(services));
    }
    if (req.printer) {
      services.settings.set('printer', req.printer);
      restartPrint = true;
    }
    if (req.serial)
      services.settings.set('serial', {
        path: req.serial.path,
        baudRate: req.serial.baudRate ?? services.settings.get('serial')!.baudRate,
      });
    if (req.firs) {
      if (req.firs.baseUrl) services.settings.set('firs', { baseUrl: req.firs.baseUrl });
      if (req.firs.apiKey) services.secrets.set('firs.apiKey', req.firs.apiKey);
      if (req.firs.apiSecret) services.secrets.set('firs.apiSecret', req.firs.apiSecret);
      restart = true;
    }
    if (req.cloud) {
      if (req.cloud.baseUrl) services.settings.set('cloud', { baseUrl: req.cloud.baseUrl });
      if (req.cloud.token) services.secrets.set('cloud.token', req.cloud.token);
      restart = true;
    }
    if (req.pos) {
      savePosConnector(services, req.pos);
      restart = true;
    }
    if (req.managerPin) services.pin.set(req.managerPin.next);
    if (restart || restartPrint) await services.restartBackground();
    services.pushStatus();
    return settingsView(services);
  },

  'settings.testConnection': (req, { services }) => testConnection(services, req.target),
});
