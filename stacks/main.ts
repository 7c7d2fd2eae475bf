/**
 * The app cdktf runs (see cdktf.json): the example stack on simulated hosts (no root
 * needed), or, with NETFORGE_LAB_STATE set to a KVM lab's state directory (`netforge lab
 * up --hosts 4 --clusters 2`), on the lab's hosts: its network namespaces, agents and
 * outside network, where the virtual router's DHCP, DNS and SNAT really run.
 */
import { App } from 'cdktf';
import { ExampleStack, type ExampleStackProps } from './example-stack';
import { labHostsForExample } from './lab-hosts';

const lab = process.env.NETFORGE_LAB_STATE;
const props: ExampleStackProps = lab ? labHostsForExample(lab) : {};
const app = new App();
new ExampleStack(app, 'netforge-example', props);
app.synth();
