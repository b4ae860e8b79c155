// One npm operation at a time: installs and removes wait for the ones before them; a failure does not stop the queue.
export type Queue = <T>(task: () => Promise<T>) => Promise<T>;

export function createQueue(): Queue {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(() => task());
    tail = run.catch(() => undefined);
    return run;
  };
}
