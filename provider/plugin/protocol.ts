/**
 * Loads the gRPC service definitions of tfplugin6 and go-plugin's controller.
 *
 * Parsing .proto text costs start-up time in every provider process (Terraform starts 3-5
 * per command), so bundles embed the protocol pre-parsed to JSON at build time (see
 * packaging/build.ts); running from source falls back to parsing the .proto files.
 */
import * as path from 'node:path';
import type { ServiceDefinition } from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** Replaced by esbuild's `define` with the protocol's JSON descriptor when bundling. */
declare const __TFPLUGIN_PROTO_DESCRIPTOR__: string | undefined;

export const PROTO_FILES = ['tfplugin6.proto', 'grpc_controller.proto'];
export const PROTO_DIR = path.join(__dirname, '..', 'proto');

/** bytes as Buffer, enums by name, int64 as JS number, oneof members as plain fields. */
export const LOADER_OPTIONS: protoLoader.Options = { keepCase: true, longs: Number, enums: String, defaults: false, oneofs: true };

export interface PluginServices {
  readonly provider: ServiceDefinition;
  readonly controller: ServiceDefinition;
}

export function loadPluginServices(): PluginServices {
  const embedded = typeof __TFPLUGIN_PROTO_DESCRIPTOR__ === 'undefined' ? undefined : __TFPLUGIN_PROTO_DESCRIPTOR__;
  const definition = embedded
    ? protoLoader.fromJSON(JSON.parse(embedded), LOADER_OPTIONS)
    : protoLoader.loadSync(PROTO_FILES.map((f) => path.join(PROTO_DIR, f)), LOADER_OPTIONS);
  return {
    provider: definition['tfplugin6.Provider'] as ServiceDefinition,
    controller: definition['plugin.GRPCController'] as ServiceDefinition,
  };
}
