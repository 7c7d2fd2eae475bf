/**
 * Ordering Terraform can't infer from references: a VM must be created after the
 * attachments that let placement find a host, and a DHCP attachment after the ranges it
 * needs. Resolved at synth (aspects run first), so adders called later still count.
 */
import { Aspects, dependable, TerraformResource, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';

class DependsOnAtSynth implements IAspect {
  /** What the last visit added: a later synth of the same app replaces it instead of repeating it. */
  private added: string[] = [];

  constructor(
    private readonly resource: TerraformResource,
    private readonly dependencies: () => readonly TerraformResource[],
  ) {}

  visit(node: IConstruct): void {
    if (node !== this.resource) return;
    const existing = (this.resource.dependsOn ?? []).filter((d) => !this.added.includes(d));
    this.added = [...new Set(this.dependencies())].filter((d) => d !== this.resource).map((d) => dependable(d));
    const all = [...existing, ...this.added];
    this.resource.dependsOn = all.length > 0 ? all : undefined;
  }
}

export function dependOnAtSynth(resource: TerraformResource, dependencies: () => readonly TerraformResource[]): void {
  Aspects.of(resource).add(new DependsOnAtSynth(resource, dependencies));
}
