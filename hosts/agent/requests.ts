/** The agent's HTTP plumbing: JSON answers, bounded bodies, and the exec request parsed against the argv policy. */
import type http from 'node:http';
import { MAX_DNSMASQ_CONFIG_LENGTH } from '../services/dnsmasq-config';
import { argvRefusal } from './argv-policy';

/**
 * Request bodies above this are refused with 413. The largest document a command may carry
 * (a dnsmasq configuration) must fit, escaped as a JSON string (at most twice its length).
 */
export const MAX_AGENT_BODY_BYTES = 2 * MAX_DNSMASQ_CONFIG_LENGTH + 64 * 1024;
export const MAX_COMMANDS_PER_PLAN = 256;

export class HttpError extends Error {
  constructor(readonly status: number, readonly errorCode: string, message: string, readonly details: unknown[] = []) {
    super(message);
  }
}

export function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > MAX_AGENT_BODY_BYTES) {
        // Stop keeping it, let the rest drain, answer 413.
        req.off('data', onData);
        req.resume();
        reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', `request bodies are limited to ${MAX_AGENT_BODY_BYTES} bytes`));
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export interface ExecRequest {
  commands: { argv: string[]; allowFailure: boolean }[];
}

export function parseExecRequest(text: string): ExecRequest {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'INVALID_JSON', 'the body is not JSON');
  }
  const commands = (body as { commands?: unknown })?.commands;
  if (!Array.isArray(commands) || commands.length === 0 || commands.length > MAX_COMMANDS_PER_PLAN) {
    throw new HttpError(400, 'INVALID_PLAN', `body must be { commands: [...] } with 1-${MAX_COMMANDS_PER_PLAN} commands`);
  }
  const details: { path: string; message: string }[] = [];
  const out = commands.map((c: unknown, i) => {
    const { argv, allowFailure, ...rest } = (c ?? {}) as { argv?: unknown; allowFailure?: unknown };
    const refusal = Object.keys(rest).length > 0 ? `unknown fields: ${Object.keys(rest).join(', ')}` : argvRefusal(argv);
    if (refusal) details.push({ path: `commands[${i}].argv`, message: refusal });
    if (allowFailure !== undefined && typeof allowFailure !== 'boolean')
      details.push({ path: `commands[${i}].allowFailure`, message: 'must be a boolean' });
    return { argv: argv as string[], allowFailure: allowFailure === true };
  });
  if (details.length > 0) {
    throw new HttpError(
      400,
      'COMMAND_NOT_ALLOWED',
      `refused ${details.length} of ${commands.length} commands; nothing was run: ${details[0].path}: ${details[0].message}`,
      details,
    );
  }
  return { commands: out };
}

