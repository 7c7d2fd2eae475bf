/**
 * Shared setup for the construct tests: a stack with the netforge provider configured (so
 * cdktf's own provider-presence validation passes), the synthesized JSON as an object, and
 * the Terraform expressions a reference to a resource synthesizes to.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultTokenResolver, type App, StringConcat, TerraformDataSource, Testing, TerraformStack, Tokenization, type TerraformResource } from 'cdktf';
import { NetforgeProvider as NetforgeProviderL1 } from '../../constructs/imports/providers/netforge/provider';
import { Cluster, Zone } from '../../constructs';

/* cdktf's jest adapter declares its matchers for an older @types/jest signature; restate them. */
declare global {
  namespace jest {
    interface Matchers<R, T = {}> {
      toHaveResource(type: { tfResourceType: string }): R;
      toHaveResourceWithProperties(type: { tfResourceType: string }, properties: Record<string, unknown>): R;
      toHaveDataSource(type: { tfResourceType: string }): R;
      toHaveDataSourceWithProperties(type: { tfResourceType: string }, properties: Record<string, unknown>): R;
      toHaveProviderWithProperties(type: { tfResourceType: string }, properties: Record<string, unknown>): R;
      toBeValidTerraform(): R;
    }
  }
}

let outdir: string | undefined;

/**
 * A testing app whose outdir is shared by this test file: Testing.app() would make a temp
 * directory per app, and in-memory synths never write to it. Remove it with removeTestOutdir.
 */
export function testApp(): App {
  outdir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'netforge-constructs-'));
  return Testing.app({ outdir });
}

/** For afterAll: removes the directory testApp() apps share. */
export function removeTestOutdir(): void {
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  outdir = undefined;
}

/** A stack in a fresh testing app, with the netforge provider block (no packaging involved). */
export function newStack(id = 'stack'): TerraformStack {
  const stack = new TerraformStack(testApp(), id);
  new NetforgeProviderL1(stack, 'netforge', {});
  return stack;
}

/** Testing.synthScope on this file's shared app (cdktf's own makes a temp outdir per call and never removes it). */
export function synthScope(fn: (stack: TerraformStack) => void): string {
  const stack = new TerraformStack(testApp(), 'stack');
  fn(stack);
  return Testing.synth(stack);
}

/** Synthesizes like `cdktf synth` does before writing files: aspects, then every validation. */
export function synthValidated(stack: TerraformStack): string {
  return Testing.synth(stack, true);
}

export interface SynthesizedStack {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
}

/** Resources of one type in synthesized JSON, by logical id. */
export function resourcesOf(synthesized: string, type: { tfResourceType: string }): Record<string, Record<string, unknown>> {
  return (JSON.parse(synthesized) as SynthesizedStack).resource?.[type.tfResourceType] ?? {};
}

/** Data sources of one type in synthesized JSON, by logical id. */
export function dataSourcesOf(synthesized: string, type: { tfResourceType: string }): Record<string, Record<string, unknown>> {
  return (JSON.parse(synthesized) as SynthesizedStack).data?.[type.tfResourceType] ?? {};
}

/** The synthesized JSON of one resource or data source construct. */
export function configOf(synthesized: string, element: TerraformResource | TerraformDataSource): Record<string, unknown> {
  const parsed = JSON.parse(synthesized) as SynthesizedStack;
  const block = isDataSource(element) ? parsed.data : parsed.resource;
  const config = block?.[element.terraformResourceType]?.[element.friendlyUniqueId];
  if (!config) throw new Error(`${element.node.path} (${element.terraformResourceType}.${element.friendlyUniqueId}) is not in the synthesized stack`);
  return config;
}

function isDataSource(element: TerraformResource | TerraformDataSource): boolean {
  return TerraformDataSource.isTerraformDataSource(element);
}

/** A token (e.g. a construct's uuid attribute) as it would appear in the synthesized JSON. */
export function resolve(stack: TerraformStack, value: unknown): unknown {
  return Tokenization.resolve(value, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) });
}

/** What `resource.attr` synthesizes to, e.g. ${netforge_l2_vlan_network.l2_1234ABCD.uuid}. */
export function refTo(element: TerraformResource | TerraformDataSource, attribute = 'uuid'): string {
  const prefix = isDataSource(element) ? 'data.' : '';
  return `\${${prefix}${element.terraformResourceType}.${element.friendlyUniqueId}.${attribute}}`;
}

/** How a resource appears in another resource's depends_on. */
export function addressOf(element: TerraformResource): string {
  return `${element.terraformResourceType}.${element.friendlyUniqueId}`;
}

/** A well-formed agent certificate fingerprint, for KVM hosts in tests. */
export const TEST_AGENT_FINGERPRINT = `sha256:${'ab'.repeat(32)}`;

/** A zone and a (KVM) cluster with one host: the smallest place an L2 network can be attached. */
export function zoneWithCluster(stack: TerraformStack, opts: { clusterId?: string; zone?: Zone; hosts?: number } = {}): { zone: Zone; cluster: Cluster } {
  const zone = opts.zone ?? new Zone(stack, 'zone');
  const cluster = new Cluster(stack, opts.clusterId ?? 'cluster', { zone });
  for (let i = 1; i <= (opts.hosts ?? 1); i++) cluster.addHost(`host${i}`, { managementIp: `10.255.0.${i}`, agentFingerprint: TEST_AGENT_FINGERPRINT });
  return { zone, cluster };
}
