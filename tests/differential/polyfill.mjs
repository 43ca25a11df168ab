// aws-local-stepfunctions 3.0.0 declares node >= 22 only because its Task state uses Promise.withResolvers
// (ES2024); this project runs Node 20, so the one missing built-in is supplied before the library loads.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
