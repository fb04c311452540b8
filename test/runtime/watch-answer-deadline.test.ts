import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type StreamAnswer, watchStream, watchTimeoutMs } from "../../src/runtime/watch-answer.js";

/**
 * The deadline of a watch, as kube-apiserver's GetTimeoutForWatch sets it: `timeoutSeconds` when given and
 * not 0, else a random time in [minRequestTimeout, 2 x minRequestTimeout), 1800 s by default. Read from the
 * stream's timer (fake timers) and from the deadline the handler is told, without waiting half an hour.
 */
const MINUTE = 60_000;

/** A handler's events that never come, with the deadline the routes told it. */
function quietEvents() {
  const told: Date[] = [];
  const iterable = {
    [Symbol.asyncIterator]: () => ({
      next: () => new Promise<IteratorResult<unknown>>(() => {}),
      return: async (): Promise<IteratorResult<unknown>> => ({ done: true, value: undefined }),
    }),
    setDeadline: (deadline: Date) => told.push(deadline),
  };
  return { iterable, told };
}

/** Whether the stream has ended, as its reader sees it. */
function watchEnd(answer: StreamAnswer): { ended: boolean } {
  const state = { ended: false };
  void answer.lines.next().then((next) => (state.ended = next.done === true));
  return state;
}

describe("watchStream's deadline", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date("2026-01-01T00:00:00Z") });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    ["the smallest draw", 0, 30 * MINUTE],
    ["a middle draw", 0.5, 45 * MINUTE],
    ["the largest draw", 0.999_999, 60 * MINUTE - 1.8],
  ])("without timeoutSeconds, ends at 1800 s x (1 + random): %s", async (_name, draw, endsAt) => {
    const { iterable, told } = quietEvents();
    const end = watchEnd(watchStream(iterable, (o) => o, { timeoutMs: undefined, random: () => draw }));
    expect(told).toEqual([new Date(Date.now() + endsAt)]);
    await vi.advanceTimersByTimeAsync(Math.floor(endsAt) - 1);
    expect(end.ended).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    expect(end.ended).toBe(true);
  });

  it("with Math.random, every default deadline falls in [1800 s, 3600 s)", () => {
    const deadlines = Array.from({ length: 200 }, () => {
      const { iterable, told } = quietEvents();
      watchStream(iterable, (o) => o, { timeoutMs: 0 }).close();
      return told[0]!.getTime() - Date.now();
    });
    expect(Math.min(...deadlines)).toBeGreaterThanOrEqual(30 * MINUTE);
    expect(Math.max(...deadlines)).toBeLessThan(60 * MINUTE);
    // Spread out, as the apiserver means them to be, not one fixed value.
    expect(new Set(deadlines).size).toBeGreaterThan(100);
  });

  it("timeoutSeconds replaces the default; minRequestTimeoutSeconds scales it; 0 means no deadline", async () => {
    const given = quietEvents();
    const end = watchEnd(watchStream(given.iterable, (o) => o, { timeoutMs: 5000, random: () => 0.5 }));
    expect(given.told).toEqual([new Date(Date.now() + 5000)]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(end.ended).toBe(true);

    const scaled = quietEvents();
    watchStream(scaled.iterable, (o) => o, { minRequestTimeoutSeconds: 10, random: () => 0.25 }).close();
    expect(scaled.told).toEqual([new Date(Date.now() + 12_500)]);

    const none = quietEvents();
    const forever = watchEnd(watchStream(none.iterable, (o) => o, { minRequestTimeoutSeconds: 0 }));
    expect(none.told).toEqual([]);
    await vi.advanceTimersByTimeAsync(24 * 60 * MINUTE);
    expect(forever.ended).toBe(false);
  });

  // Regression: setTimeout fires at once for a delay past 2^31 - 1 ms, so timeoutSeconds=3000000 (35 days) ended the watch after 1 ms.
  it("a timeoutSeconds longer than setTimeout's longest delay (24.8 days) still ends the watch then, not at once", async () => {
    const { iterable, told } = quietEvents();
    const days35 = 35 * 24 * 60 * MINUTE;
    const end = watchEnd(watchStream(iterable, (o) => o, { timeoutMs: days35 }));
    expect(told).toEqual([new Date(Date.now() + days35)]);
    await vi.advanceTimersByTimeAsync(days35 - 1);
    expect(end.ended).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(end.ended).toBe(true);
  });

  it("a negative timeoutSeconds ends the watch at once, as the apiserver's timer does", () => {
    expect(watchTimeoutMs(-1000)).toBe(0);
    expect(watchTimeoutMs(undefined, 0)).toBeUndefined();
  });

  it("a handler whose setDeadline throws keeps its watch until the deadline", async () => {
    const iterable = { ...quietEvents().iterable, setDeadline: () => { throw new Error("no"); } };
    const end = watchEnd(watchStream(iterable, (o) => o, { timeoutMs: 1000 }));
    await vi.advanceTimersByTimeAsync(999);
    expect(end.ended).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(end.ended).toBe(true);
  });
});
