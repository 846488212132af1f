// aws-local-stepfunctions needs Promise.withResolvers (Node 22+). On Node 20 every Task would fail
// with a TypeError that a Catch on States.ALL hides, so provide it before any test module loads.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
