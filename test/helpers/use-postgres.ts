/** Setup file of the jest project `postgres`: test servers of this file run on PostgreSQL. */
import { TEST_DATABASE_ENV } from './postgres';

process.env[TEST_DATABASE_ENV] = 'postgres';
