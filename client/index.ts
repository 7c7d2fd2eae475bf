/** The control server's client, shared by the provider, review, the CLI and the lab. */
export * from './connection';
export * from './errors';
export * from './http-client';
