/** The netforge Terraform provider: configuration, resources and data sources. */
import { DEFAULT_ENDPOINT, NetforgeApiError, NetforgeClient, resolveConnection } from '../../client';
import { attr, defineProvider, isUnknown, ProviderError } from '../framework';
import { dataSources } from './data-sources';
import { providerErrorOf } from './errors';
import { resources } from './resources';

export const PROVIDER_VERSION = '0.1.0';

const given = (v: unknown): string | undefined => (typeof v === 'string' && !isUnknown(v) ? v : undefined);

export const netforgeProvider = defineProvider({
  typeName: 'netforge',
  schema: {
    description: 'netforge: private-cloud networking (ZStack model) on the netforge control server.',
    attributes: {
      endpoint: attr.string({ optional: true, description: `Server URL; default NETFORGE_ENDPOINT, else ${DEFAULT_ENDPOINT}.` }),
      token: attr.string({
        optional: true,
        sensitive: true,
        description: 'Bearer token; default NETFORGE_TOKEN, else the server\'s token file (NETFORGE_DATA_DIR/token or the nearest .netforge/token).',
      }),
    },
  },
  async configure({ config }) {
    const { endpoint, token } = resolveConnection({ endpoint: given(config.endpoint), token: given(config.token) });
    if (!token) {
      throw new ProviderError('no netforge token', {
        detail: 'Set the provider\'s token, NETFORGE_TOKEN, or NETFORGE_DATA_DIR (the server writes <data-dir>/token at first start).',
        path: ['token'],
      });
    }
    const client = new NetforgeClient(endpoint, token);
    try {
      await client.probe();
    } catch (err) {
      if (err instanceof NetforgeApiError && err.status === 401) {
        throw new ProviderError('netforge rejected the token', {
          detail: `The server at ${endpoint} answered 401: ${err.message}. Set the provider's token (or NETFORGE_TOKEN) to the contents of the server's <data-dir>/token.`,
          path: ['token'],
        });
      }
      throw providerErrorOf(err);
    }
    return client;
  },
  resources,
  dataSources,
});
