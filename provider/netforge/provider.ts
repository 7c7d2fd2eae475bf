/** The netforge Terraform provider: configuration, resources and data sources. */
import fs from 'node:fs';
import { attr, defineProvider, isUnknown, ProviderError } from '../framework';
import { DEFAULT_ENDPOINT, findTokenFile, NetforgeClient } from './client';
import { dataSources } from './data-sources';
import { resources } from './resources';

export const PROVIDER_VERSION = '0.1.0';

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
  async configure({ config }, ctx) {
    void ctx;
    const given = (v: unknown) => (v === null || v === undefined || isUnknown(v) ? undefined : (v as string));
    const endpoint = given(config.endpoint) ?? process.env.NETFORGE_ENDPOINT ?? DEFAULT_ENDPOINT;
    let token = given(config.token) ?? process.env.NETFORGE_TOKEN;
    if (!token) {
      const file = findTokenFile();
      if (!file) {
        throw new ProviderError('no netforge token', {
          detail: 'Set the provider\'s token, NETFORGE_TOKEN, or NETFORGE_DATA_DIR (the server writes <data-dir>/token at first start).',
          path: ['token'],
        });
      }
      token = fs.readFileSync(file, 'utf8').trim();
    }
    const client = new NetforgeClient(endpoint, token);
    await client.checkConnection();
    return client;
  },
  resources,
  dataSources,
});
