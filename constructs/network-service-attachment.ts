import { Annotations, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { OBJECTS } from '../contract/objects';
import { PROVIDER_TYPES, SERVICES_BY_PROVIDER_TYPE, type ProviderType, type ServiceType } from '../topology/model';
import { placementFor } from '../topology/evaluator';
import { countFreeIps } from '../topology/ip-allocation';
import { checkPublicNetworkGiven, pendingServices } from '../topology/rules/services';
import { violation } from '../topology/violation';
import { dependOnAtSynth } from './_dependencies';
import { AppTopology, keyOf, known } from './_topology';
import { assertValid, isUnresolved, validateAtSynth } from './_validation';
import { DataNetforgeNetworkServiceProvider } from './imports/providers/netforge/data-netforge-network-service-provider';
import { DataNetforgeVirtualRouter } from './imports/providers/netforge/data-netforge-virtual-router';
import { NetworkServiceAttachment as NetworkServiceAttachmentResource } from './imports/providers/netforge/network-service-attachment';
import type { IL3Network } from './interfaces';

export const ProviderTypes = { VIRTUAL_ROUTER: 'VirtualRouter', FLAT: 'Flat', SECURITY_GROUP: 'SecurityGroup' } as const satisfies Record<string, ProviderType>;

export interface NetworkServiceOptions {
  readonly services: readonly ServiceType[];
  /** @default VirtualRouter */
  readonly providerType?: ProviderType;
  /**
   * VirtualRouter (required): the L3 network the router has its public NIC on; SNAT leaves
   * through it. The router runs on a host whose cluster carries both networks' L2s.
   * @default none (other providers have no public network)
   */
  readonly publicNetwork?: IL3Network;
}

export interface NetworkServiceAttachmentProps extends NetworkServiceOptions {
  readonly l3Network: IL3Network;
}

/** The built-in provider of a type, looked up once per stack. */
export function networkServiceProviderOfType(scope: Construct, type: ProviderType): DataNetforgeNetworkServiceProvider {
  const stack = TerraformStack.of(scope);
  const id = `NetworkServiceProvider-${type}`;
  const found = stack.node.tryFindChild(id);
  return found instanceof DataNetforgeNetworkServiceProvider ? found : new DataNetforgeNetworkServiceProvider(stack, id, { type });
}

/** Services (DHCP, DNS, SNAT, ...) of one provider on an L3 network. */
export class NetworkServiceAttachment extends Construct {
  readonly providerType: ProviderType;
  readonly services: readonly ServiceType[];
  readonly publicNetwork?: IL3Network;
  readonly resource: NetworkServiceAttachmentResource;
  private router?: DataNetforgeVirtualRouter;

  constructor(scope: Construct, id: string, props: NetworkServiceAttachmentProps) {
    super(scope, id);
    this.providerType = props.providerType ?? ProviderTypes.VIRTUAL_ROUTER;
    this.services = props.services;
    this.publicNetwork = props.publicNetwork;
    const knownProviderType = isUnresolved(this.providerType) || (PROVIDER_TYPES as readonly string[]).includes(this.providerType);
    const l3Key = keyOf(props.l3Network, props.l3Network.l3NetworkUuid);
    const publicKey = props.publicNetwork ? keyOf(props.publicNetwork, props.publicNetwork.l3NetworkUuid) : null;
    assertValid(this, [
      ...(isUnresolved(props.services) ? [] : (OBJECTS.networkServiceAttachment.rules?.({ services: props.services }) ?? [])),
      // Checked here: the rules below look the type's services up.
      ...(knownProviderType ? [] : [violation('UNKNOWN_PROVIDER_TYPE', 'providerType', `${JSON.stringify(this.providerType)} is not a provider type (${PROVIDER_TYPES.join(', ')})`)]),
      ...(knownProviderType && !isUnresolved(this.providerType) ? checkPublicNetworkGiven(this.providerType, l3Key, publicKey).map((v) => ({ ...v, path: 'publicNetwork' })) : []),
    ]);
    const provider = networkServiceProviderOfType(this, this.providerType);
    this.resource = new NetworkServiceAttachmentResource(this, 'Resource', {
      l3NetworkUuid: props.l3Network.l3NetworkUuid,
      providerUuid: provider.uuid,
      services: [...props.services],
      publicL3NetworkUuid: props.publicNetwork?.l3NetworkUuid,
    });
    this.node.defaultChild = this.resource;

    const topology = AppTopology.of(this);
    // A built-in provider, found by type at plan time: the rules know what it offers, not its L2s.
    const providerType = known(this.providerType);
    if (providerType) topology.registerObject('networkServiceProvider', { uuid: providerType, name: providerType, type: providerType, serviceTypes: [...SERVICES_BY_PROVIDER_TYPE[providerType]] }, false);
    topology.register(
      'networkServiceAttachment',
      this,
      { l3NetworkUuid: l3Key, providerUuid: providerType, services: known([...props.services]), publicL3NetworkUuid: publicKey },
      { complete: true, resource: this.resource },
    );
    // Rules 15-17 against the attachments made before it (others may still come later in the app).
    validateAtSynth(this, () => topology.check('networkServiceAttachment', this, { counts: topology.madeBefore(this.node.path) }));
    const rangesOfL3 = () => topology.snapshot.find({ type: 'ipRange', where: { l3NetworkUuid: l3Key } });
    const l3 = topology.snapshot.get('l3Network', l3Key);
    if (l3 && topology.snapshot.isComplete('l3Network', l3Key) && !isUnresolved(props.services)) {
      // Rule 18 is a wait, not an error: DHCP stays pending until the L3 has free addresses.
      // Say so at synth when this app gives it none (ranges may still come from elsewhere).
      let warned = false; // a second synth of the same app must not repeat it
      topology.construct(l3Key)?.node.addValidation({
        validate: () => {
          if (warned) return [];
          warned = true;
          const ranges = rangesOfL3();
          const free = ranges.some((r) => r.startIp === undefined || r.endIp === undefined)
            ? 1n
            : countFreeIps(ranges.map((r) => ({ uuid: r.uuid, startIp: r.startIp!, endIp: r.endIp! })), 0);
          for (const p of pendingServices(this.services, this.providerType, { uuid: l3Key, name: l3.name ?? l3Key }, free)) {
            Annotations.of(this).addWarning(`${p.service} will stay pending: ${p.reason}; add IP ranges to the L3 network`);
          }
          return [];
        },
      });
    }
    // Not needed for correctness (pending services converge), but it saves a pending phase:
    // the ranges, and for a router the public network's ranges, the cluster attachments of
    // both networks' L2s and the hosts of the clusters carrying both (where it will run).
    dependOnAtSynth(this.resource, () => {
      const ranges = (l3: string) => topology.snapshot.find({ type: 'ipRange', where: { l3NetworkUuid: l3 } }).map((r) => r.uuid);
      const l2Of = (l3: string) => {
        const l2 = topology.snapshot.get('l3Network', l3)?.l2NetworkUuid;
        return l2 && !isUnresolved(l2) ? l2 : undefined;
      };
      const attachmentsOf = (l2: string | undefined) => (l2 ? topology.snapshot.find({ type: 'l2ClusterAttachment', where: { l2NetworkUuid: l2 } }).map((a) => a.uuid) : []);
      const router: string[] = [];
      if (publicKey) {
        const l2s = [l2Of(l3Key), l2Of(publicKey)];
        router.push(...ranges(publicKey), ...attachmentsOf(l2s[0]), ...attachmentsOf(l2s[1]));
        if (l2s[0] && l2s[1]) router.push(...placementFor(topology.snapshot, [...new Set([l2s[0], l2s[1]])]).hosts.map((h) => h.uuid));
      }
      return topology.resources([...ranges(l3Key), ...router]);
    });
  }

  /**
   * The virtual router serving these services (VirtualRouter only), read after the
   * attachment is created: where it runs (`hostUuid`), its addresses (`guestIp`,
   * `publicIp`: SNAT traffic leaves with it) and its `state`.
   */
  get virtualRouter(): DataNetforgeVirtualRouter {
    if (this.providerType !== ProviderTypes.VIRTUAL_ROUTER) throw new Error(`${this.node.path}: only VirtualRouter services have a virtual router (this is ${this.providerType})`);
    this.router ??= new DataNetforgeVirtualRouter(this, 'VirtualRouter', { l3NetworkUuid: this.resource.l3NetworkUuid, dependsOn: [this.resource] });
    return this.router;
  }
}
