/**
 * Calls made in the same turn of the event loop, run together: the delivery jobs of a burst run
 * concurrently, and one `$in` read or one bulk write for all of them costs about what one costs
 * alone. Each caller still gets its own result or its own error, so every job keeps its own
 * protocol (a job whose write failed is retried alone).
 *
 * `run` answers the keys in order: a value, or an Error for that key only; a thrown error fails
 * the whole batch.
 */
export function batched<K, R>(run: (keys: K[]) => Promise<(R | Error)[]>, max = 256): (key: K) => Promise<R> {
  type Waiting = { key: K; resolve: (r: R) => void; reject: (e: unknown) => void };
  let waiting: Waiting[] = [];
  const flush = () => {
    const batch = waiting;
    waiting = [];
    if (!batch.length) return;
    Promise.resolve(batch.map((w) => w.key))
      .then(run)
      .then(
        (results) =>
          batch.forEach((w, i) => {
            const r = results[i];
            if (r instanceof Error) w.reject(r);
            else w.resolve(r as R);
          }),
        (err) => {
          for (const w of batch) w.reject(err);
        },
      );
  };
  return (key) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ key, resolve, reject });
      if (waiting.length === 1) setImmediate(flush);
      else if (waiting.length >= max) flush();
    });
}
