/**
 * The nftables rulesets of network services, built from what the endpoint needs (nft.ts
 * makes them data):
 *
 *   router (in its namespace), table ip netforge
 *     forward      policy drop; replies of established flows pass; guest -> public only with SNAT
 *     postrouting  SNAT: guest CIDR out of the public NIC, masqueraded behind its address
 *   flat DHCP isolation (on the host), table bridge netforge_<hash>
 *     forward      drop between the DHCP namespace's port and the L2's uplink, both ways: the
 *                  server answers only this host's VMs, and its address (the same on every
 *                  host) never reaches the wire
 */
import { createHash } from 'node:crypto';
import { ACCEPT, APPLIANCE_TABLE, COUNTER, ctState, DROP, iifname, ipSource, MASQUERADE, oifname, removeTable, replaceTable, type NftBatch } from './nft';

export interface RouterForwardingRules {
  guestInterface: string;
  publicInterface: string;
  guestCidr: string;
  snat: boolean;
}

/** The router's table inside its namespace. */

export function routerRuleset(r: RouterForwardingRules): NftBatch {
  const forward = [[ctState('established', 'related'), ACCEPT]];
  const postrouting = [];
  if (r.snat) {
    forward.push([iifname(r.guestInterface), oifname(r.publicInterface), ipSource(r.guestCidr), COUNTER, ACCEPT]);
    postrouting.push([oifname(r.publicInterface), ipSource(r.guestCidr), COUNTER, MASQUERADE]);
  }
  return replaceTable(APPLIANCE_TABLE.family, APPLIANCE_TABLE.name, [
    { name: 'forward', type: 'filter', hook: 'forward', prio: 0, policy: 'drop', rules: forward },
    { name: 'postrouting', type: 'nat', hook: 'postrouting', prio: 100, policy: 'accept', rules: postrouting },
  ]);
}

/** The isolation table of the DHCP namespace whose host-side port is `port`. */
export function isolationTableName(port: string): string {
  return `netforge_dh${createHash('sha1').update(port).digest('hex').slice(0, 12)}`;
}

export const ISOLATION_TABLE_PATTERN = /^netforge_dh[0-9a-f]{12}$/;

export function isolationRuleset(port: string, uplink: string): NftBatch {
  return replaceTable('bridge', isolationTableName(port), [
    {
      name: 'forward',
      type: 'filter',
      hook: 'forward',
      prio: 0,
      policy: 'accept',
      rules: [
        [iifname(port), oifname(uplink), COUNTER, DROP],
        [iifname(uplink), oifname(port), COUNTER, DROP],
      ],
    },
  ]);
}

export function removeIsolation(port: string): NftBatch {
  return removeTable('bridge', isolationTableName(port));
}
