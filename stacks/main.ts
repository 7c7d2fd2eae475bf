/** The app cdktf runs (see cdktf.json): the example stack on simulated hosts (no root needed). */
import { App } from 'cdktf';
import { ExampleStack } from './example-stack';

const app = new App();
new ExampleStack(app, 'netforge-example');
app.synth();
