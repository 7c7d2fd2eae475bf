/**
 * The control server's HTTP client: the provider, `netforge review`, `netforge deploy` and
 * the KVM lab talk to the server through it. Objects are addressed by type; the paths come
 * from the catalog (contract/objects.ts).
 */
import DataLoader from 'dataloader';
import { MAX_BATCH_READ, MAX_READ_UUID_LENGTH, OBJECTS, type BatchReadItem, type BatchReadResponse, type ObjectRecord, type CreateInput, type Inventory, type ObjectType } from '../contract';
import { NetforgeApiError, NetforgeBadAnswerError, NetforgeUnreachableError, type ApiErrorBody } from './errors';

export class NetforgeClient {
  private readonly batchReads: DataLoader<BatchReadItem, ObjectRecord | null, string>;

  constructor(
    readonly endpoint: string,
    private readonly token: string,
    private readonly signal?: AbortSignal,
  ) {
    this.batchReads = batchReader(this);
  }

  /** One request; the parsed JSON answer (trusted to be what the API documents). */
  async request<T>(method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.endpoint.replace(/\/$/, '')}${urlPath}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: this.signal,
      });
      // The answer can be lost after the request arrived (connection cut mid-response).
      text = await res.text();
    } catch (err) {
      throw new NetforgeUnreachableError(this.endpoint, reasonOf(err));
    }
    let parsed: unknown = null;
    try {
      parsed = text ? (JSON.parse(text) as unknown) : null;
    } catch {
      if (res.ok) throw new NetforgeBadAnswerError(this.endpoint, text.slice(0, 200));
    }
    if (!res.ok) {
      const e = (parsed as ApiErrorBody | null)?.error ?? { code: `HTTP_${res.status}`, message: text || res.statusText, details: [] };
      throw new NetforgeApiError(res.status, e);
    }
    return parsed as T;
  }

  list<T extends ObjectType>(type: T, filters: Readonly<Record<string, string>> = {}): Promise<Inventory<T>[]> {
    const query = new URLSearchParams(filters).toString();
    return this.request('GET', `/v1/${OBJECTS[type].path}${query ? `?${query}` : ''}`);
  }

  get<T extends ObjectType>(type: T, uuid: string): Promise<Inventory<T>> {
    return this.request('GET', `/v1/${OBJECTS[type].path}/${encodeURIComponent(uuid)}`);
  }

  /** The object, or null when there is none with this uuid. */
  find<T extends ObjectType>(type: T, uuid: string): Promise<Inventory<T> | null> {
    return this.getOrNull(`/v1/${OBJECTS[type].path}/${encodeURIComponent(uuid)}`);
  }

  /** GET of one object; null when it answers 404. */
  async getOrNull<T>(urlPath: string): Promise<T | null> {
    try {
      return await this.request<T>('GET', urlPath);
    } catch (err) {
      if (err instanceof NetforgeApiError && err.status === 404) return null;
      throw err;
    }
  }

  /**
   * The object as its GET answers it, or null when there is none with this uuid. Reads asked
   * for in one tick, or while every batch slot is busy, go together in one POST /v1/batch-read
   * (batchReader): a refresh of N resources costs a fraction of N requests.
   */
  read(type: ObjectType, uuid: string): Promise<ObjectRecord | null> {
    // An id no object can have (a mistyped import) is nothing there; sent along, it would fail its whole batch.
    if (!uuid || uuid.length > MAX_READ_UUID_LENGTH) return Promise.resolve(null);
    return this.batchReads.load({ type, uuid });
  }

  create<T extends ObjectType>(type: T, input: CreateInput<T>, headers: Record<string, string> = {}): Promise<Inventory<T>> {
    return this.request('POST', `/v1/${OBJECTS[type].path}`, input, headers);
  }

  /** Deletes; an object already gone counts as deleted. */
  async delete(type: ObjectType, uuid: string): Promise<void> {
    try {
      await this.request('DELETE', `/v1/${OBJECTS[type].path}/${encodeURIComponent(uuid)}`);
    } catch (err) {
      if (err instanceof NetforgeApiError && err.status === 404) return;
      throw err;
    }
  }

  /** Answers when the server is up and takes the token; throws NetforgeApiError 401 when it rejects it. */
  async probe(): Promise<void> {
    await this.list('zone', { name: '__netforge_probe__' });
  }
}

/** Batch requests in flight at once: Terraform refreshes -parallelism (10) objects at a time. */
export const MAX_BATCHES_IN_FLIGHT = 4;

/**
 * Up to MAX_BATCHES_IN_FLIGHT batch requests at once; reads asked for while all are out wait
 * and go together in the next free one. A read never waits for a slot that is free: one
 * batch at a time would make every read wait for the one before it, and a refresh as slow
 * as its reads in a row.
 */
function batchReader(client: NetforgeClient): DataLoader<BatchReadItem, ObjectRecord | null, string> {
  // Batches sent or about to be; batches waiting for a slot, oldest first.
  let busy = 0;
  const waiting: Array<() => void> = [];
  const go = (dispatch: () => void) => {
    busy++;
    setImmediate(dispatch);
  };
  // A server from before POST /v1/batch-read: one GET per object, as before.
  let batchReadMissing = false;
  const readEach = (items: readonly BatchReadItem[]) =>
    Promise.all(items.map(({ type, uuid }) => client.getOrNull<ObjectRecord>(`/v1/${OBJECTS[type].path}/${encodeURIComponent(uuid)}`)));
  return new DataLoader(
    async (items) => {
      try {
        if (batchReadMissing) return await readEach(items);
        try {
          return (await client.request<BatchReadResponse<ObjectRecord>>('POST', '/v1/batch-read', { objects: items })).objects;
        } catch (err) {
          if (!(err instanceof NetforgeApiError && err.status === 404 && err.body.code === 'NO_SUCH_ROUTE')) throw err;
          batchReadMissing = true;
          return await readEach(items);
        }
      } finally {
        busy--;
        const next = waiting.shift();
        if (next) go(next);
      }
    },
    {
      cache: false,
      maxBatchSize: MAX_BATCH_READ,
      cacheKeyFn: (item) => `${item.type}/${item.uuid}`,
      batchScheduleFn: (dispatch) => {
        if (busy < MAX_BATCHES_IN_FLIGHT) go(dispatch);
        else waiting.push(dispatch);
      },
    },
  );
}

function reasonOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
