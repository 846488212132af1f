// Jest runs each test file in its own VM context, whose Float32Array is not the one a native addon (onnxruntime-node)
// creates its output tensors with, so onnxruntime's `instanceof Float32Array` check fails. This environment gives the
// test context the process's own typed-array constructors.
const { TestEnvironment } = require('jest-environment-node');

class NativeArraysEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of [
      'Float32Array',
      'Float64Array',
      'Int32Array',
      'Uint8Array',
      'BigInt64Array',
      'Int8Array',
      'Uint16Array',
      'Int16Array',
      'Uint32Array',
      'BigUint64Array',
      'ArrayBuffer',
    ]) {
      this.global[name] = globalThis[name];
    }
  }
}

module.exports = NativeArraysEnvironment;
