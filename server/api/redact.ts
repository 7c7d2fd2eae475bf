/**
 * Credentials never reach the logs: a token sent where it doesn't belong (a query string)
 * is refused by the auth check, and its value is masked in every logged URL.
 */

/** Query parameters whose values are credentials, whatever their case. */
const SECRET_PARAM = /token|secret|password|passwd|key|auth|session|credential|signature/i;

export const REDACTED = '[REDACTED]';

/** The URL with the values of credential-like query parameters replaced by [REDACTED]. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const parts = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawKey = eq < 0 ? pair : pair.slice(0, eq);
      let key = rawKey;
      try {
        key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      } catch {
        // a malformed key is logged as sent; its value is still masked below when it looks like a credential
      }
      return eq >= 0 && SECRET_PARAM.test(key) ? `${rawKey}=${REDACTED}` : pair;
    });
  return `${url.slice(0, q)}?${parts.join('&')}`;
}
