// One connector per configured vendor, and its webhook handler where the vendor has webhooks.
import type { ConnectorConfig } from './config';
import type { Connector, ConnectorDeps } from './connector';
import { SquareConnector } from './square/connector';
import { ToastConnector } from './toast/connector';
import { LightspeedXConnector } from './lightspeed-x/connector';
import { LightspeedRConnector } from './lightspeed-r/connector';
import { lightspeedXHandler, squareHandler, toastHandler, type WebhookHandler } from './webhooks/handlers';

export function createConnector(config: ConnectorConfig, deps: ConnectorDeps): Connector {
  switch (config.vendor) {
    case 'square': return new SquareConnector(config, deps);
    case 'toast': return new ToastConnector(config, deps);
    case 'lightspeed-x': return new LightspeedXConnector(config, deps);
    case 'lightspeed-r': return new LightspeedRConnector(config, deps);
  }
}

/** Lightspeed R has no sales webhooks: polling only. */
export function webhookHandlerFor(config: ConnectorConfig, connector: Connector, deps: ConnectorDeps): WebhookHandler | undefined {
  switch (config.vendor) {
    case 'square': return squareHandler(config, deps.secrets, connector);
    case 'toast': return toastHandler(config, deps.secrets);
    case 'lightspeed-x': return lightspeedXHandler(deps.secrets, connector);
    case 'lightspeed-r': return undefined;
  }
}
