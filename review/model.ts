/** What a review finds: the shapes shared by validation, explanation and the renderers. */
import type { ValidateChange as WireValidateChange } from '../contract';
import type { Action } from './plan';
import type { Kind } from './topology';

export interface ReviewViolation {
  /** The planned resource the violation is about. */
  address: string;
  /** "IP range app-3" */
  object: string;
  code: string;
  message: string;
  /** Terraform attribute path, e.g. "start_ip" or "host_routes[1].next_hop". */
  attribute?: string;
  /** What was refused: creating/updating the object, or (for a replacement) deleting the old one. */
  phase: 'create' | 'update' | 'delete';
  conflicting?: { type: string; uuid?: string; name?: string; address?: string };
  /** server: the control server's dry run; stateless: checked here without the server. */
  source: 'server' | 'stateless';
}

export interface AttributeChange {
  attribute: string;
  before: unknown;
  /** undefined when known only after apply. */
  after: unknown;
  forcesReplacement: boolean;
}

export interface ReviewChange {
  address: string;
  type: string;
  kind: Kind;
  name: string;
  action: Exclude<Action, 'no-op' | 'read'>;
  createBeforeDestroy: boolean;
  /** Attributes that force the replacement (replace_paths). */
  forcedBy: string[];
  changedAttributes: AttributeChange[];
  /** One line in network terms. */
  summary: string;
  /** Consequences worth a reviewer's attention. */
  details: string[];
  /** Why parts of the change could not be checked. */
  notes: string[];
  violations: ReviewViolation[];
}

/** Something the server accepts but a reviewer should see (a rule open to the world); --fail-on can gate on it. */
export interface ReviewWarning {
  /** The planned resource it is about. */
  address: string;
  /** "security group rule web ingress tcp/22" */
  object: string;
  code: 'WORLD_OPEN_INGRESS';
  message: string;
}

/** What --fail-on can gate on: planned actions, or warnings (world-open ingress). */
export const FAIL_ON = ['delete', 'replace', 'world-open'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export type ValidationMode = 'server' | 'stateless';

export interface ValidationOutcome {
  mode: ValidationMode;
  endpoint: string;
  /** Why the server was not used (stateless mode). */
  reason?: string;
  violations: ReviewViolation[];
  /** Address -> why (part of) its change was not checked. */
  notes: Map<string, string[]>;
  /** The /v1/validate batch (server mode). */
  batch: ValidateChange[];
}

/** A change of the /v1/validate batch, as review builds it: every change has an id (its address). */
export type ValidateChange = WireValidateChange & { id: string };

export interface ReviewSummary {
  create: number;
  update: number;
  replace: number;
  delete: number;
  violations: number;
}

export interface Review {
  source: string;
  terraformVersion: string;
  validation: {
    mode: ValidationMode;
    endpoint: string;
    reason?: string;
    stateDependentRulesChecked: boolean;
    /** The batch sent to POST /v1/validate (server mode). */
    changes: ValidateChange[];
  };
  summary: ReviewSummary;
  /** Changes in plan order (by address). */
  changes: ReviewChange[];
  violations: ReviewViolation[];
  /** Left out when there are none, so reports of plans without them read as before. */
  warnings?: ReviewWarning[];
  /** fail-on policy hits, e.g. "delete: netforge_ip_range.app2". */
  policy: { failOn: FailOn[]; hits: string[] };
  mermaid: string;
  exitCode: number;
  status: 'clean' | 'violations' | 'policy';
}
