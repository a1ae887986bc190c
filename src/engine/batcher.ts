/**
 * Group commit. Requests queue while a batch is in flight; when a lane frees up it takes everything
 * queued (up to `batchSizeMax`) as the next batch. Under light load a request runs alone at once;
 * under heavy load batches grow by themselves, with no timer to tune.
 *
 * A batch that throws (not an expected failure: those are answers) is retried one request at a time,
 * so one bad request never fails the others that happened to share its transaction.
 */
import { UnavailableError } from "../core/errors.js";

export const BATCH_SIZE_MAX_DEFAULT = 512;

export interface BatcherOptions {
  readonly batchSizeMax: number;
  /** Batches in flight at once. Each is one transaction; wallet locks keep them from colliding. */
  readonly lanes: number;
  /** Called as each batch ends, with its size and the seconds it took (its transaction, retries included). */
  readonly onBatch?: (size: number, seconds: number) => void;
}

interface Pending<Req, Res> {
  readonly request: Req;
  readonly resolve: (result: Res) => void;
  readonly reject: (error: unknown) => void;
}

export class Batcher<Req, Res> {
  readonly #run: (requests: Req[]) => Promise<Res[]>;
  readonly #options: BatcherOptions;
  #queue: Pending<Req, Res>[] = [];
  #inFlight = 0;
  #scheduled = false;
  #idleWaiters: (() => void)[] = [];

  constructor(run: (requests: Req[]) => Promise<Res[]>, options: BatcherOptions) {
    if (options.batchSizeMax < 1 || options.lanes < 1)
      throw new RangeError("batch size and lanes must be at least 1");
    this.#run = run;
    this.#options = options;
  }

  submit(request: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      this.#schedule();
    });
  }

  /**
   * Start batches after the current turn of the event loop rather than at once: every request whose
   * bytes arrived in the same I/O phase (HTTP requests read from many sockets, say) is parsed and
   * queued first, so they share one batch. It matters most on the embedded store, whose queries run
   * on this same thread: requests that arrived during a batch are only read once it yields.
   */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#pump();
    });
  }

  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #pump(): void {
    while (this.#inFlight < this.#options.lanes && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#options.batchSizeMax);
      this.#inFlight += 1;
      const startedMs = performance.now();
      void this.#runBatch(batch).finally(() => {
        this.#options.onBatch?.(batch.length, (performance.now() - startedMs) / 1000);
        this.#inFlight -= 1;
        this.#schedule();
        if (this.#queue.length === 0 && this.#inFlight === 0) {
          for (const wake of this.#idleWaiters.splice(0)) wake();
        }
      });
    }
  }

  async #runBatch(batch: Pending<Req, Res>[]): Promise<void> {
    try {
      const results = await this.#run(batch.map((item) => item.request));
      for (const [index, item] of batch.entries()) item.resolve(results[index] as Res);
    } catch (error) {
      if (batch.length === 1 || error instanceof UnavailableError) {
        for (const item of batch) item.reject(error);
        return;
      }
      for (const item of batch) await this.#runBatch([item]);
    }
  }
}
