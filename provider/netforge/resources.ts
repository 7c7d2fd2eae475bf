/** The netforge resources, one per Terraform resource of the catalog (contract/objects.ts). */
import { terraformResources } from '../../contract';
import { buildResource } from './resource-builder';

export const resources = terraformResources().map(buildResource);
