/** Ports for tests (lib/free-port.ts). */
export { freePort } from '../../lib/free-port';
