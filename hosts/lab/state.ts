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

/** What every kind of lab records. */
export interface LabStateBase {
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
  registration: LabRegistration | null;
}

export interface LabState extends LabStateBase {
  /** Created in this order; removed in reverse. */
  switches: string[];
  namespaces: string[];
  rootLinks: string[];
  hosts: LabHost[];
}

export function statePath(stateDir: string): string {
  return path.join(stateDir, STATE_FILE);
}

/** Replaces `file` with `state` whole (written aside, then renamed: a crash leaves the old or the new). */
export function writeStateFile(file: string, state: unknown): void {
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
}

/** The state in `file`; null when there is none. */
export function readStateFile<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export function saveState(state: LabState): void {
  writeStateFile(statePath(state.stateDir), state);
}

export function readLabState(stateDir = DEFAULT_LAB_STATE_DIR): LabState | null {
  return readStateFile<LabState>(statePath(path.resolve(stateDir)));
}
