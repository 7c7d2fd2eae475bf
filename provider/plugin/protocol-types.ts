/**
 * TypeScript shapes of the tfplugin6 messages as @grpc/proto-loader delivers them
 * (keepCase, bytes as Buffer, enums as names, int64 as number). Only the fields the
 * framework reads or writes are listed.
 */

export interface DynamicValue {
  msgpack?: Buffer;
  json?: Buffer;
}

export type AttributePathStep = { attribute_name: string } | { element_key_string: string } | { element_key_int: number };

export interface AttributePath {
  steps: AttributePathStep[];
}

export interface ProtoDiagnostic {
  severity: 'ERROR' | 'WARNING';
  summary: string;
  detail?: string;
  attribute?: AttributePath;
}

export type StringKind = 'PLAIN' | 'MARKDOWN';

export interface ProtoAttribute {
  name: string;
  type?: Buffer;
  nested_type?: { attributes: ProtoAttribute[]; nesting: 'SINGLE' | 'LIST' | 'SET' | 'MAP' };
  description?: string;
  description_kind?: StringKind;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  deprecated?: boolean;
}

export interface ProtoBlock {
  version?: number;
  attributes: ProtoAttribute[];
  block_types: ProtoNestedBlock[];
  description?: string;
  description_kind?: StringKind;
  deprecated?: boolean;
}

export interface ProtoNestedBlock {
  type_name: string;
  block: ProtoBlock;
  nesting: 'SINGLE' | 'LIST' | 'SET' | 'MAP' | 'GROUP';
  min_items?: number;
  max_items?: number;
}

export interface ProtoSchema {
  version: number;
  block: ProtoBlock;
}

export interface ServerCapabilities {
  plan_destroy: boolean;
  get_provider_schema_optional: boolean;
  move_resource_state: boolean;
}

export interface WithDiagnostics {
  diagnostics?: ProtoDiagnostic[];
}

export interface RawState {
  json?: Buffer;
  flatmap?: Record<string, string>;
}

/** Request and response of every RPC the framework implements, keyed by method name. */
export interface ProviderRpcs {
  GetMetadata: {
    request: Record<string, never>;
    response: WithDiagnostics & {
      server_capabilities: ServerCapabilities;
      resources: { type_name: string }[];
      data_sources: { type_name: string }[];
    };
  };
  GetProviderSchema: {
    request: Record<string, never>;
    response: WithDiagnostics & {
      provider?: ProtoSchema;
      resource_schemas?: Record<string, ProtoSchema>;
      data_source_schemas?: Record<string, ProtoSchema>;
      server_capabilities?: ServerCapabilities;
    };
  };
  ValidateProviderConfig: { request: { config?: DynamicValue }; response: WithDiagnostics };
  ConfigureProvider: { request: { terraform_version?: string; config?: DynamicValue }; response: WithDiagnostics };
  ValidateResourceConfig: { request: { type_name: string; config?: DynamicValue }; response: WithDiagnostics };
  ValidateDataResourceConfig: { request: { type_name: string; config?: DynamicValue }; response: WithDiagnostics };
  UpgradeResourceState: {
    request: { type_name: string; version?: number; raw_state?: RawState };
    response: WithDiagnostics & { upgraded_state?: DynamicValue };
  };
  ReadResource: {
    request: { type_name: string; current_state?: DynamicValue; private?: Buffer };
    response: WithDiagnostics & { new_state?: DynamicValue; private?: Buffer };
  };
  PlanResourceChange: {
    request: {
      type_name: string;
      prior_state?: DynamicValue;
      proposed_new_state?: DynamicValue;
      config?: DynamicValue;
      prior_private?: Buffer;
    };
    response: WithDiagnostics & { planned_state?: DynamicValue; requires_replace?: AttributePath[]; planned_private?: Buffer };
  };
  ApplyResourceChange: {
    request: {
      type_name: string;
      prior_state?: DynamicValue;
      planned_state?: DynamicValue;
      config?: DynamicValue;
      planned_private?: Buffer;
    };
    response: WithDiagnostics & { new_state?: DynamicValue; private?: Buffer };
  };
  ImportResourceState: {
    request: { type_name: string; id: string };
    response: WithDiagnostics & { imported_resources?: { type_name: string; state: DynamicValue; private?: Buffer }[] };
  };
  MoveResourceState: {
    request: { source_type_name?: string; target_type_name?: string };
    response: WithDiagnostics & { target_state?: DynamicValue };
  };
  ReadDataSource: {
    request: { type_name: string; config?: DynamicValue };
    response: WithDiagnostics & { state?: DynamicValue };
  };
  GetFunctions: { request: Record<string, never>; response: WithDiagnostics & { functions: Record<string, never> } };
  StopProvider: { request: Record<string, never>; response: { Error: string } };
}

export type ProviderRpcName = keyof ProviderRpcs;

export const PROVIDER_RPC_NAMES: readonly ProviderRpcName[] = [
  'GetMetadata',
  'GetProviderSchema',
  'ValidateProviderConfig',
  'ConfigureProvider',
  'ValidateResourceConfig',
  'ValidateDataResourceConfig',
  'UpgradeResourceState',
  'ReadResource',
  'PlanResourceChange',
  'ApplyResourceChange',
  'ImportResourceState',
  'MoveResourceState',
  'ReadDataSource',
  'GetFunctions',
  'StopProvider',
];

export type ProviderHandlers = {
  [K in ProviderRpcName]: (request: ProviderRpcs[K]['request']) => Promise<ProviderRpcs[K]['response']>;
};
