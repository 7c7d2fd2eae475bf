/**
 * Runs `fn` over `items` with at most `concurrency` calls in flight, starting items in
 * order. Once `shouldStop()` returns true no new item is started; the ones in flight are
 * awaited. If `fn` throws, no new item is started and the first error is rethrown after
 * every in-flight call has settled (so nothing keeps running behind the caller's back).
 */
export async function runBounded<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<void>,
  shouldStop: () => boolean = () => false,
): Promise<{ started: number }> {
  assertConcurrency(concurrency);
  let next = 0;
  let thrown: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && thrown === undefined && !shouldStop()) {
      const index = next++;
      try {
        await fn(items[index], index);
      } catch (error) {
        thrown ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (thrown !== undefined) throw thrown.error;
  return { started: next };
}

export function assertConcurrency(concurrency: number): void {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be an integer >= 1, got ${String(concurrency)}`);
  }
}
