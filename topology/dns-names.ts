/**
 * DNS names netforge hands to dnsmasq and puts in DHCP answers: host names are single
 * lower-case RFC 1123 labels that dnsmasq can't mistake for a setting, domains dot-separated
 * labels. Nothing else reaches a host's DNS or DHCP
 * configuration, so a name can't smuggle a separator (`,`, newline, `=`) into it.
 */

/** One label: 1-63 letters, digits and '-', not starting or ending with '-'. */
export const DNS_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
export const MAX_DOMAIN_LENGTH = 253;

/** A VM's host name: one lower-case label (RFC 1123). */
const HOSTNAME_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/**
 * Labels dnsmasq reads as something else in a `dhcp-host` line (option.c): `ignore` (never
 * answer this MAC), `infinite` and a number with an optional s/m/h/d/w suffix (a lease time).
 */
const DHCP_HOST_KEYWORD = /^(ignore|infinite|[0-9]+[smhdw]?)$/;

/** Why `name` can't be a VM's host name, or null when it can. */
export function hostnameRefusal(name: string): string | null {
  if (!HOSTNAME_LABEL.test(name)) return 'must be 1-63 lower-case letters, digits and -, starting and ending with a letter or digit';
  if (DHCP_HOST_KEYWORD.test(name)) return 'must not be a number or a DHCP keyword (ignore, infinite), which DHCP servers read as a lease setting';
  return null;
}

export function isValidHostname(name: string): boolean {
  return hostnameRefusal(name) === null;
}

/** A domain such as app.example (a trailing dot allowed). */
export function isValidDomainName(name: string): boolean {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  if (trimmed.length === 0 || trimmed.length > MAX_DOMAIN_LENGTH) return false;
  return trimmed.split('.').every((label) => DNS_LABEL.test(label));
}

/**
 * The host name a VM gets when none is given: its name in lower case with every run of
 * other characters made one '-', trimmed to a label ("Web Server 1" -> "web-server-1").
 * Null when nothing of the name is left (then the caller must ask for one).
 */
export function hostnameFromName(name: string): string | null {
  const label = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
  return label.length > 0 && isValidHostname(label) ? label : null;
}
