/**
 * DNS names netforge hands to dnsmasq and puts in DHCP answers: host names are single
 * RFC 1123 labels, domains dot-separated labels. Nothing else reaches a host's DNS or DHCP
 * configuration, so a name can't smuggle a separator (`,`, newline, `=`) into it.
 */

/** One label: 1-63 letters, digits and '-', not starting or ending with '-'. */
export const DNS_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
export const MAX_DOMAIN_LENGTH = 253;

export function isValidHostname(name: string): boolean {
  return DNS_LABEL.test(name);
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
