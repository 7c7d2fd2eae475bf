/** Entry point of the bundled provider executable (Terraform starts it). */
import { serveProvider } from '../framework';
import { netforgeProvider } from './provider';

void serveProvider(netforgeProvider);
