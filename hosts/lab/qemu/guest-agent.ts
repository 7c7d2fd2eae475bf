/**
 * A client of the QEMU guest agent (qemu-ga, Debian's qemu-guest-agent, run by the guest's
 * /init) over its socket on the machine: JSON commands, one answer per line. `exec` runs an
 * argv in the guest (guest-exec: a path and an argument array, no shell) and waits for its
 * exit, which is how the lab and its tests look inside a guest.
 */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { LabError } from '../errors';

export interface GuestExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface GuestExecStatus {
  exited: boolean;
  exitcode?: number;
  signal?: number;
  'out-data'?: string;
  'err-data'?: string;
}

export class GuestAgentClient {
  private socket: net.Socket | null = null;
  private buffered = '';
  /** Answers not read yet, and readers waiting for one. */
  private readonly lines: string[] = [];
  private readonly waiting: Array<(line: string) => void> = [];
  /** One command at a time: qemu-ga answers in order, and a sync discards what came before. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly socketPath: string,
    readonly description: string,
  ) {}

  /** Connects and synchronizes (guest-sync with a fresh id), retrying until the guest agent answers or `timeoutMs` passes. */
  async connect(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      try {
        await this.open();
        const id = Math.floor(Math.random() * 2 ** 31);
        const answer = await this.command<number>({ execute: 'guest-sync', arguments: { id } }, Math.min(2_000, Math.max(100, deadline - Date.now())), (r) => r === id);
        if (answer === id) return;
      } catch (err) {
        last = (err as Error).message;
        this.close();
      }
      await sleep(200);
    }
    throw new LabError(`the QEMU guest agent of ${this.description} did not answer within ${timeoutMs} ms${last ? ` (${last})` : ''}`);
  }

  /** Runs `argv` in the guest (argv[0] a path or a program on the guest's PATH) and waits for it. */
  exec(argv: readonly string[], timeoutMs = 30_000): Promise<GuestExecResult> {
    const run = async (): Promise<GuestExecResult> => {
      // After a timeout the connection was dropped (a late answer would pair with the next command): connect and sync again.
      if (!this.socket) await this.connect(10_000);
      const started = await this.command<{ pid: number }>({ execute: 'guest-exec', arguments: { path: argv[0], arg: argv.slice(1), 'capture-output': true } }, 10_000);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const status = await this.command<GuestExecStatus>({ execute: 'guest-exec-status', arguments: { pid: started.pid } }, 10_000);
        if (status.exited) {
          return {
            code: status.exitcode ?? null,
            stdout: Buffer.from(status['out-data'] ?? '', 'base64').toString('utf8'),
            stderr: Buffer.from(status['err-data'] ?? '', 'base64').toString('utf8'),
          };
        }
        if (Date.now() > deadline) throw new LabError(`\`${argv.join(' ')}\` did not finish within ${timeoutMs} ms in ${this.description}`);
        await sleep(30);
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
    this.buffered = '';
    this.lines.splice(0);
    this.waiting.splice(0);
  }

  private open(): Promise<void> {
    if (this.socket) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(this.socketPath);
      socket.setEncoding('utf8');
      socket.once('connect', () => {
        this.socket = socket;
        resolve();
      });
      socket.once('error', (err) => {
        if (this.socket === socket) this.close();
        reject(err);
      });
      socket.on('data', (chunk: string) => {
        this.buffered += chunk;
        for (let nl = this.buffered.indexOf('\n'); nl >= 0; nl = this.buffered.indexOf('\n')) {
          const line = this.buffered.slice(0, nl).trim();
          this.buffered = this.buffered.slice(nl + 1);
          if (!line) continue;
          const reader = this.waiting.shift();
          if (reader) reader(line);
          else this.lines.push(line);
        }
      });
      socket.once('close', () => {
        if (this.socket === socket) this.socket = null;
      });
    });
  }

  /** Sends one command and reads answers until one is accepted (`accept`: by default the first). */
  private async command<T>(body: unknown, timeoutMs: number, accept: (result: T) => boolean = () => true): Promise<T> {
    if (!this.socket) await this.open();
    const socket = this.socket!;
    socket.write(`${JSON.stringify(body)}\n`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.lines.shift() ?? await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.close();
          reject(new Error(`no answer to ${JSON.stringify(body).slice(0, 80)} within ${timeoutMs} ms`));
        }, Math.max(1, deadline - Date.now()));
        this.waiting.push((l) => {
          clearTimeout(timer);
          resolve(l);
        });
      });
      let parsed: { return?: T; error?: { desc?: string } };
      try {
        parsed = JSON.parse(line) as typeof parsed;
      } catch {
        continue; // a partial line left by an earlier connection
      }
      if (parsed.error) throw new LabError(`the QEMU guest agent of ${this.description} refused ${JSON.stringify(body).slice(0, 120)}: ${parsed.error.desc ?? 'error'}`);
      if (parsed.return !== undefined && accept(parsed.return)) return parsed.return;
    }
  }
}
