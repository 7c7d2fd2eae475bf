/** The app cdktf runs (see cdktf.json): the example stack, simulated hosts unless NETFORGE_HYPERVISOR=KVM. */
import { App } from 'cdktf';
import type { HypervisorType } from '../constructs';
import { ExampleStack } from './example-stack';

const app = new App();
new ExampleStack(app, 'netforge-example', { hypervisorType: (process.env.NETFORGE_HYPERVISOR as HypervisorType | undefined) ?? 'Simulator' });
app.synth();
