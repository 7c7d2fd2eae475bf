/**
 * lab.json: everything lab up creates is written here *before* it is created, so lab down
 * removes exactly that, whatever state a failed lab up left.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_LAB_STATE_DIR, type LabHost } from './layout';

const STATE_FILE = 'lab.json';

export interface LabRegistration {
  url: string;
  zoneUuid: string | null;
  clusterUuids: string[];
  hostUuids: string[];
}

export interface LabState {
  version: 1;
  status: 'creating' | 'up';
  createdAt: string;
  stateDir: string;
  /** Whether lab up created the state dir (then lab down removes it). */
  createdStateDir: boolean;
  agentPort: number;
  /** The control server the agents trust. */
  serverFingerprint: string;
  clusters: number;
  /** Created in this order; removed in reverse. */
  switches: string[];
  namespaces: string[];
  rootLinks: string[];
  hosts: LabHost[];
  registration: LabRegistration | null;
}

export function statePath(stateDir: string): string {
  return path.join(stateDir, STATE_FILE);
}

export function saveState(state: LabState): void {
  const file = statePath(state.stateDir);
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
}

export function readLabState(stateDir = DEFAULT_LAB_STATE_DIR): LabState | null {
  try {
    return JSON.parse(fs.readFileSync(statePath(path.resolve(stateDir)), 'utf8')) as LabState;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
