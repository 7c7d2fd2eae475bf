import { Annotations, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { PROVIDER_TYPES, SERVICES_BY_PROVIDER_TYPE, type ProviderType, type ServiceType } from '../topology/model';
import { countFreeIps } from '../topology/ip-allocation';
import { checkServiceAttachment, pendingServices, validateServiceList } from '../topology/rules/services';
import { violation } from '../topology/violation';
import { dependOnAtSynth } from './_dependencies';
import { assertValid, isUnresolved, validateAtSynth } from './_validation';
import { DataNetforgeNetworkServiceProvider } from './imports/providers/netforge/data-netforge-network-service-provider';
import { NetworkServiceAttachment as NetworkServiceAttachmentResource } from './imports/providers/netforge/network-service-attachment';
import type { IL3Network, L3Network } from './l3-network';

export const ProviderTypes = { VIRTUAL_ROUTER: 'VirtualRouter', FLAT: 'Flat', SECURITY_GROUP: 'SecurityGroup' } as const satisfies Record<string, ProviderType>;

export interface NetworkServiceOptions {
  readonly services: readonly ServiceType[];
  /** @default VirtualRouter */
  readonly providerType?: ProviderType;
}

export interface NetworkServiceAttachmentProps extends NetworkServiceOptions {
  readonly l3Network: IL3Network;
}

/** The built-in provider of a type, looked up once per stack. */
export function networkServiceProviderOfType(scope: Construct, type: ProviderType): DataNetforgeNetworkServiceProvider {
  const stack = TerraformStack.of(scope);
  const id = `NetworkServiceProvider-${type}`;
  return (stack.node.tryFindChild(id) as DataNetforgeNetworkServiceProvider | undefined) ?? new DataNetforgeNetworkServiceProvider(stack, id, { type });
}

/** Services (DHCP, DNS, SNAT, ...) of one provider on an L3 network. */
export class NetworkServiceAttachment extends Construct {
  readonly providerType: ProviderType;
  readonly services: readonly ServiceType[];
  readonly resource: NetworkServiceAttachmentResource;

  constructor(scope: Construct, id: string, props: NetworkServiceAttachmentProps) {
    super(scope, id);
    this.providerType = props.providerType ?? ProviderTypes.VIRTUAL_ROUTER;
    this.services = props.services;
    const knownProviderType = isUnresolved(this.providerType) || (PROVIDER_TYPES as readonly string[]).includes(this.providerType);
    assertValid(this, [
      ...(isUnresolved(props.services) ? [] : validateServiceList(props.services)),
      // Checked here: the synth-time rules below look the type's services up.
      ...(knownProviderType ? [] : [violation('UNKNOWN_PROVIDER_TYPE', 'providerType', `${JSON.stringify(this.providerType)} is not a provider type (${PROVIDER_TYPES.join(', ')})`)]),
    ]);
    const provider = networkServiceProviderOfType(this, this.providerType);
    this.resource = new NetworkServiceAttachmentResource(this, 'Resource', {
      l3NetworkUuid: props.l3Network.l3NetworkUuid,
      providerUuid: provider.uuid,
      services: [...props.services],
    });
    this.node.defaultChild = this.resource;
    const l3 = props.l3Network as Partial<L3Network>;
    if (!l3.serviceAttachments || isUnresolved(props.services)) return;
    const l3Network = l3 as L3Network;
    const others = [...l3Network.serviceAttachments];
    l3Network.serviceAttachments.push(this);
    // Rules 15-17, against the whole app: other attachments may come later.
    validateAtSynth(this, () =>
      checkServiceAttachment({
        l3: { uuid: l3Network.node.path, name: l3Network.l3NetworkName, cidr: isUnresolved(l3Network.cidr) ? '' : l3Network.cidr, l2NetworkUuid: 'l2' },
        provider: {
          uuid: '', // a built-in provider found by type at plan time
          name: this.providerType,
          type: this.providerType,
          serviceTypes: [...SERVICES_BY_PROVIDER_TYPE[this.providerType]],
          attachedL2NetworkUuids: ['l2'], // built-in providers serve every L2 network
        },
        services: this.services,
        existing: others.map((o) => ({ uuid: o.node.path, providerUuid: o.providerType, providerName: o.providerType, services: o.services })),
      }),
    );
    // Rule 18 is a wait, not an error: DHCP stays pending until the L3 has free addresses.
    // Say so at synth when this app gives it none (ranges may still come from elsewhere).
    let warned = false; // a second synth of the same app must not repeat it
    l3Network.node.addValidation({
      validate: () => {
        if (warned) return [];
        warned = true;
        const unknownRanges = l3Network.ipRanges.some((r) => isUnresolved(r.startIp) || isUnresolved(r.endIp));
        const free = unknownRanges ? 1n : countFreeIps(l3Network.ipRanges.map((r) => ({ uuid: r.node.path, startIp: r.startIp, endIp: r.endIp })), 0);
        for (const p of pendingServices(this.services, { uuid: l3Network.node.path, name: l3Network.l3NetworkName }, free)) {
          Annotations.of(this).addWarning(`${p.service} will stay pending: ${p.reason}; add IP ranges to the L3 network`);
        }
        return [];
      },
    });
    // Not needed for correctness (pending services converge), but it saves a pending phase.
    dependOnAtSynth(this.resource, () => l3Network.ipRanges.map((r) => r.resource));
  }
}
