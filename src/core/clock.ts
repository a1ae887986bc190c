/** Time is injected everywhere: production reads the system clock, tests move a manual one. */
export interface Clock {
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

export class ManualClock implements Clock {
  #nowMs: number;

  constructor(startMs: number) {
    this.#nowMs = startMs;
  }

  nowMs(): number {
    return this.#nowMs;
  }

  advanceMs(deltaMs: number): void {
    if (!Number.isSafeInteger(deltaMs) || deltaMs < 0)
      throw new RangeError(`cannot move a clock by ${deltaMs}ms`);
    this.#nowMs += deltaMs;
  }

  setMs(nowMs: number): void {
    this.#nowMs = nowMs;
  }
}
