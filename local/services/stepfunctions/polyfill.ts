/**
 * aws-local-stepfunctions calls Promise.withResolvers (Node 22+). On Node 20 every Task would fail with a
 * TypeError that a Catch on States.ALL hides, so the service installs it before any execution runs.
 */
export function installPromiseWithResolvers(): void {
  const P = Promise as unknown as { withResolvers?: unknown };
  if (typeof P.withResolvers === 'function') return;
  P.withResolvers = function withResolvers<T>() {
    let resolve!: (value: T) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
