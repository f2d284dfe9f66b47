// The register link in the source registry. Its links are started by the app (AppServices) and by
// `taxpoynt-pos register-link run` from the app.registerLink settings, not as a connector.
import { registerLinkSource } from '../../../shared/sources/register-link/source';
import { defineSource } from '../source';

export const registerLink = defineSource({ info: registerLinkSource });
