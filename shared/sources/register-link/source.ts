// Cash registers linked over a serial cable or a network print port (issue 16). Its links and
// receipt templates are app settings (app.registerLink, shared/sources/register-link/settings.ts),
// not connector settings: the links run beside the capture service (main/sources/register-link/).
import type { SourceInfo } from '../source-info';

export const registerLinkSource = {
  id: 'register-link',
  name: 'Cash register (serial cable or print port)',
  kind: 'register',
  auth: 'none',
} as const satisfies SourceInfo<'register-link'>;
