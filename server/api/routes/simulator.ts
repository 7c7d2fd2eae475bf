/** The simulator's hosts over the API: what they would have created, and knobs for tests and demos. */
import { Router, type RequestHandler } from 'express';
import { BadRequestError } from '../../errors';
import { SimulatorConfigError, type SimulatorState } from '../../hypervisors/simulator/state';

function configure(fn: (body: unknown, uuid?: string) => unknown): RequestHandler {
  return (req, res) => {
    try {
      res.json(fn(req.body, req.params.uuid as string | undefined));
    } catch (err) {
      if (err instanceof SimulatorConfigError) throw new BadRequestError('INVALID_SIMULATOR_CONFIG', err.message, [...err.details]);
      throw err;
    }
  };
}

export function simulatorRouter(sim: SimulatorState): Router {
  const router = Router();
  router.get('/hosts', (_req, res) => {
    res.json(sim.listHosts());
  });
  router.get('/hosts/:uuid', (req, res) => {
    res.json(sim.getHostState(req.params.uuid));
  });
  router.get('/hosts/:uuid/ops', (req, res) => {
    res.json(sim.getOpLog(req.params.uuid));
  });
  router.patch('/hosts/:uuid', configure((body, uuid) => sim.configureHost(uuid!, body)));
  router.get('/defaults', (_req, res) => {
    res.json(sim.getDefaults());
  });
  router.patch('/defaults', configure((body) => sim.configureDefaults(body)));
  router.get('/services', (req, res) => {
    const l3 = req.query.l3NetworkUuid;
    res.json({ endpoints: sim.listEndpoints(typeof l3 === 'string' ? l3 : undefined), firewalls: sim.listFirewalls() });
  });
  return router;
}
