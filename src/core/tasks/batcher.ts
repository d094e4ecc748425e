// Batcher: calls that arrive while one batch is in flight (or in the same tick) are carried out
// together by the next one. A worker running many tasks at once thus sends one claim, one read and
// one finish statement per batch instead of one per task: under load batches grow by themselves,
// when idle a call waits only for the current tick. Each call still gets its own answer.
export class Batcher<I, O> {
  private waiting: Array<{ item: I; resolve(out: O): void; reject(err: unknown): void }> = [];
  private busy = false;

  /**
   * @param run carries out one batch; answers one output per item, in order. When it throws, every
   *   call of the batch rejects with that error.
   * @param max items per batch at most (the rest wait for the next batch)
   */
  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly max = 500,
  ) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.busy) {
        this.busy = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.max);
      try {
        const outs = await this.run(batch.map((w) => w.item));
        batch.forEach((w, i) => w.resolve(outs[i]!));
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    this.busy = false;
  }
}
