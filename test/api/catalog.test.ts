/**
 * Every object type of the catalog is served: its list answers, with each of its filters,
 * and an unknown uuid is a 404 naming the type (not a 500 from a filter that is no column).
 */
import { OBJECTS, OBJECT_TYPES, TYPE_NAMES } from '../../contract';
import { expectApiError, expectStatus, useServer } from './helpers';

const srv = useServer();
const MISSING = '00000000-0000-4000-8000-00000000beef';

describe('the catalog over HTTP', () => {
  it.each(OBJECT_TYPES.map((t) => [t]))('GIVEN %s WHEN listed with each of its filters THEN 200, and an unknown uuid is a 404 naming it', async (type) => {
    const def = OBJECTS[type];
    expectStatus(await srv.ts.api('GET', `/v1/${def.path}`), 200);
    for (const filter of def.filters) expectStatus(await srv.ts.api('GET', `/v1/${def.path}?${filter}=x`), 200);
    const missing = expectApiError(await srv.ts.api('GET', `/v1/${def.path}/${MISSING}`), 404, 'NOT_FOUND');
    expect(missing.message).toContain(TYPE_NAMES[type]);
  });
});
