/**
 * What the agent remembers across restarts, in its state directory: the VM namespaces it
 * added (so it, and `netforge lab down`, know which are netforge's) and the devices it was
 * creating when it last stopped (created, maybe not yet marked: adopted at the next start).
 */
import fs from 'node:fs';

/** The journal of VM namespaces, in the state dir. */
export const NETNS_JOURNAL_FILE = 'netns.json';
/** Devices being created and not yet marked (a crash in between leaves them here to adopt). */
export const PENDING_CREATIONS_FILE = 'creating.json';
/** A set of names kept in a JSON file ({ "<key>": [...] }), rewritten atomically on every change. */
export class PersistedNames {
  private readonly names: Set<string>;
  constructor(
    private readonly file: string,
    private readonly key: string,
  ) {
    let names: string[] = [];
    try {
      const parsed = (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>)[key];
      names = Array.isArray(parsed) ? parsed.filter((n): n is string => typeof n === 'string') : [];
    } catch {
      // absent or unreadable: start empty
    }
    this.names = new Set(names);
  }

  get all(): ReadonlySet<string> {
    return this.names;
  }

  add(name: string): void {
    this.names.add(name);
    this.save();
  }

  delete(name: string): void {
    if (this.names.delete(name)) this.save();
  }

  private save(): void {
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify({ [this.key]: [...this.names].sort() })}\n`, { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }
}

/** The VM namespaces the agent added and not yet deleted (`ip netns add|del` that succeeded). */
export class NetnsJournal extends PersistedNames {
  constructor(file: string) {
    super(file, 'netns');
  }

  note(argv: readonly string[]): void {
    if (argv[0] !== 'ip' || argv[1] !== 'netns' || argv.length !== 4) return;
    if (argv[2] === 'add') this.add(argv[3]);
    else if (argv[2] === 'del') this.delete(argv[3]);
  }
}

