import { readTorchCheckpoint, TorchCheckpointError } from '../../engines/torch-checkpoint';

/** Writes Python pickle opcodes (protocol 2), enough to build a legacy torch.save file in the test. */
class Pickle {
  private readonly bytes: number[] = [0x80, 2];
  op(code: number, ...rest: number[]): this {
    this.bytes.push(code, ...rest);
    return this;
  }
  global(module: string, name: string): this {
    return this.op(0x63, ...Buffer.from(`${module}\n${name}\n`));
  }
  text(value: string): this {
    const raw = Buffer.from(value);
    const length = Buffer.alloc(4);
    length.writeUInt32LE(raw.length);
    return this.op(0x58, ...length, ...raw);
  }
  int(value: number): this {
    const raw = Buffer.alloc(4);
    raw.writeInt32LE(value);
    return this.op(0x4a, ...raw);
  }
  tuple(values: number[]): this {
    this.op(0x28);
    for (const value of values) this.int(value);
    return this.op(0x74);
  }
  done(): Buffer {
    return Buffer.from([...this.bytes, 0x2e]);
  }
}

/** A tensor entry of the state dict: key, then _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict()). */
function tensor(
  pickle: Pickle,
  name: string,
  storage: { key: string; type: string; elements: number },
  offset: number,
  size: number[],
  stride: number[],
) {
  pickle.text(name).global('torch._utils', '_rebuild_tensor_v2').op(0x28);
  pickle
    .op(0x28)
    .text('storage')
    .global('torch', storage.type)
    .text(storage.key)
    .text('cpu')
    .int(storage.elements)
    .op(0x4e)
    .op(0x74)
    .op(0x51);
  pickle.int(offset).tuple(size).tuple(stride).op(0x89).global('collections', 'OrderedDict').op(0x29).op(0x52).op(0x74).op(0x52);
}

function checkpoint(storages: { key: string; bytes: Buffer; elements: number }[], stateDict: Buffer): Buffer {
  // torch's magic number 0x1950a86a20f9469cfc6c as LONG1: ten little-endian bytes.
  const magicBytes = Buffer.from('1950a86a20f9469cfc6c', 'hex').reverse();
  const magic = new Pickle().op(0x8a, 10, ...magicBytes).done();
  const protocol = new Pickle().op(0x4d, 0xe9, 0x03).done();
  const info = new Pickle().op(0x7d).done();
  const keys = new Pickle().op(0x5d).op(0x28);
  for (const storage of storages) keys.text(storage.key);
  const records = storages.map((storage) => {
    const count = Buffer.alloc(8);
    count.writeBigInt64LE(BigInt(storage.elements));
    return Buffer.concat([count, storage.bytes]);
  });
  return Buffer.concat([magic, protocol, info, stateDict, keys.op(0x65).done(), ...records]);
}

describe('readTorchCheckpoint', () => {
  it('reads float tensors of a legacy torch.save state dict, strided views included, and leaves integer ones out', () => {
    // Prepare: storage "0" holds 0..5; "w" is it as 2x3, "wt" its transpose (a strided view), "steps" an int64 tensor.
    const floats = Buffer.from(Float32Array.of(0, 1, 2, 3, 4, 5).buffer);
    const pickle = new Pickle().global('collections', 'OrderedDict').op(0x29).op(0x52).op(0x28);
    tensor(pickle, 'w', { key: '0', type: 'FloatStorage', elements: 6 }, 0, [2, 3], [3, 1]);
    tensor(pickle, 'wt', { key: '0', type: 'FloatStorage', elements: 6 }, 0, [3, 2], [1, 3]);
    tensor(pickle, 'steps', { key: '1', type: 'LongStorage', elements: 1 }, 0, [], []);
    const stateDict = pickle.op(0x75).done();
    const file = checkpoint(
      [
        { key: '0', bytes: floats, elements: 6 },
        { key: '1', bytes: Buffer.alloc(8), elements: 1 },
      ],
      stateDict,
    );

    // Act
    const tensors = readTorchCheckpoint(file);

    // Assess
    expect([...tensors.keys()]).toEqual(['w', 'wt']);
    expect(tensors.get('w')).toEqual({ shape: [2, 3], data: Float32Array.of(0, 1, 2, 3, 4, 5) });
    expect(tensors.get('wt')).toEqual({ shape: [3, 2], data: Float32Array.of(0, 3, 1, 4, 2, 5) });
  });

  it('refuses a file that is not a legacy checkpoint, and one whose storage is cut short', () => {
    expect(() => readTorchCheckpoint(Buffer.from('PK\u0003\u0004 a zip checkpoint'))).toThrow(TorchCheckpointError);
    const pickle = new Pickle().global('collections', 'OrderedDict').op(0x29).op(0x52).op(0x28);
    tensor(pickle, 'w', { key: '0', type: 'FloatStorage', elements: 6 }, 0, [2, 3], [3, 1]);
    const file = checkpoint([{ key: '0', bytes: Buffer.alloc(8), elements: 6 }], pickle.op(0x75).done());
    expect(() => readTorchCheckpoint(file)).toThrow(/truncated/);
  });
});
