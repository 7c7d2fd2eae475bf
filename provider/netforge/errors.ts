/** The client's errors as provider diagnostics: on the attribute the server blamed, with what to do. */
import { attributePathOf } from '../../contract';
import { NetforgeApiError, NetforgeBadAnswerError, NetforgeUnreachableError } from '../../client';
import { ProviderError } from '../framework';

/**
 * Any error of a request as a ProviderError: an API error headed by `summary` and placed on
 * the attribute of the field it names (`names`: API field -> attribute); no answer as a
 * diagnostic on `endpoint` saying how to start the server. Anything else is returned as is.
 */
export function providerErrorOf(err: unknown, summary?: string, names: ReadonlyMap<string, string> = new Map()): unknown {
  if (err instanceof NetforgeUnreachableError) {
    return new ProviderError(err.message, {
      detail: `${err.reason}. Start it with \`npx netforge server\` or set the provider's endpoint (or NETFORGE_ENDPOINT).`,
      path: ['endpoint'],
    });
  }
  if (err instanceof NetforgeBadAnswerError) return new ProviderError(err.message, { detail: err.text });
  if (!(err instanceof NetforgeApiError) || summary === undefined) return err;
  const [first] = err.body.details;
  const path = first?.path ? attributePathOf(first.path, names) : undefined;
  const details = err.body.details.length > 1 ? err.body.details.map((d) => `- ${d.path ? `${d.path}: ` : ''}${d.message}`) : [];
  return new ProviderError(`${summary}: ${err.message}`, { detail: [`netforge answered ${err.status} ${err.body.code}.`, ...details].join('\n'), path });
}
