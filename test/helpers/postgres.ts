/** The jest project `postgres`: where its cluster is, and whether test servers use it (lib/postgres-cluster.ts). */
export { createDatabase as createTestDatabase, dropDatabase as dropTestDatabase } from '../../lib/postgres-cluster';

/** Where the cluster the postgres project's global setup started is (its admin URL). */
export const PG_URL_ENV = 'NETFORGE_TEST_PG_URL';
/** Set (to "postgres") in the postgres project: test servers then run on a database of that cluster. */
export const TEST_DATABASE_ENV = 'NETFORGE_TEST_DATABASE';
