/**
 * Reads a PyTorch state dict saved in the legacy (pre-1.6, non-zip) `torch.save` format, without PyTorch: five
 * records back to back (magic number, protocol version and system info as pickles, the state dict as a pickle whose
 * tensors point at storages by persistent id, the list of storage keys as a pickle), then each storage's raw bytes
 * prefixed by its element count. Only what a state dict of float tensors needs is understood; anything else fails
 * with a clear error rather than a wrong tensor.
 */

/** One tensor: its shape and its values, row-major. */
export interface CheckpointTensor {
  shape: number[];
  data: Float32Array;
}

export class TorchCheckpointError extends Error {
  override readonly name = 'TorchCheckpointError';
}

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const ELEMENT_SIZE: Readonly<Record<string, number>> = { FloatStorage: 4, LongStorage: 8, IntStorage: 4, DoubleStorage: 8 };

interface Global {
  kind: 'global';
  name: string;
}
interface StorageRef {
  kind: 'storage';
  key: string;
  type: string;
  elements: number;
}
interface TensorRef {
  kind: 'tensor';
  storage: StorageRef;
  offset: number;
  shape: number[];
  stride: number[];
}
type Value =
  null | boolean | number | bigint | string | Uint8Array | Value[] | Map<unknown, Value> | Global | StorageRef | TensorRef | Mark;
interface Mark {
  kind: 'mark';
}
const MARK: Mark = { kind: 'mark' };

/**
 * Parses the checkpoint's bytes into named float tensors (integer tensors such as BatchNorm's
 * `num_batches_tracked` are left out).
 * @throws TorchCheckpointError when the bytes are not a legacy torch.save state dict
 */
export function readTorchCheckpoint(bytes: Uint8Array): Map<string, CheckpointTensor> {
  const reader = new PickleReader(bytes);
  const magic = reader.load();
  if (magic !== LEGACY_MAGIC && magic !== Number(LEGACY_MAGIC))
    throw new TorchCheckpointError('not a legacy torch.save file (magic number)');
  reader.load(); // protocol version
  reader.load(); // system info
  const stateDict = reader.load();
  const keys = reader.load();
  if (!(stateDict instanceof Map) || !Array.isArray(keys)) throw new TorchCheckpointError('the file does not hold a state dict');

  const storages = new Map<string, { type: string; bytes: Uint8Array }>();
  const types = new Map<string, string>();
  for (const value of stateDict.values()) if (isTensor(value)) types.set(value.storage.key, value.storage.type);
  let position = reader.position;
  for (const key of keys) {
    const type = types.get(String(key));
    if (!type) throw new TorchCheckpointError(`storage ${String(key)} belongs to no tensor`);
    const size = ELEMENT_SIZE[type];
    if (!size) throw new TorchCheckpointError(`unsupported storage type ${type}`);
    const elements = Number(new DataView(bytes.buffer, bytes.byteOffset + position, 8).getBigInt64(0, true));
    position += 8;
    if (position + elements * size > bytes.length) throw new TorchCheckpointError(`storage ${String(key)} is truncated`);
    storages.set(String(key), { type, bytes: bytes.subarray(position, position + elements * size) });
    position += elements * size;
  }

  const tensors = new Map<string, CheckpointTensor>();
  for (const [name, value] of stateDict) {
    if (!isTensor(value) || value.storage.type !== 'FloatStorage') continue;
    const storage = storages.get(value.storage.key);
    if (!storage) throw new TorchCheckpointError(`tensor ${String(name)} has no storage`);
    tensors.set(String(name), { shape: value.shape, data: gather(storage.bytes, value) });
  }
  return tensors;
}

function isTensor(value: unknown): value is TensorRef {
  return typeof value === 'object' && value !== null && (value as TensorRef).kind === 'tensor';
}

/** Copies a (possibly strided) float tensor out of its storage into a row-major array. */
function gather(storage: Uint8Array, tensor: TensorRef): Float32Array {
  const count = tensor.shape.reduce((product, side) => product * side, 1);
  if (isRowMajor(tensor)) {
    // The common case, one copy: storages start at any byte, so the floats are copied out to be aligned.
    const start = storage.byteOffset + tensor.offset * 4;
    if (tensor.offset + count > storage.byteLength / 4) throw new TorchCheckpointError('a tensor reaches past its storage');
    return new Float32Array(storage.buffer.slice(start, start + count * 4));
  }
  const floats = new Float32Array(storage.buffer.slice(storage.byteOffset, storage.byteOffset + storage.byteLength));
  const out = new Float32Array(count);
  const index = new Array<number>(tensor.shape.length).fill(0);
  for (let i = 0; i < count; i += 1) {
    let source = tensor.offset;
    for (let d = 0; d < index.length; d += 1) source += index[d] * tensor.stride[d];
    if (source >= floats.length) throw new TorchCheckpointError('a tensor reaches past its storage');
    out[i] = floats[source];
    for (let d = index.length - 1; d >= 0; d -= 1) {
      index[d] += 1;
      if (index[d] < tensor.shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

function isRowMajor(tensor: TensorRef): boolean {
  let expected = 1;
  for (let d = tensor.shape.length - 1; d >= 0; d -= 1) {
    if (tensor.shape[d] !== 1 && tensor.stride[d] !== expected) return false;
    expected *= tensor.shape[d];
  }
  return true;
}

/** The part of Python's pickle machine (protocols 2–4) that torch.save's state dicts use. */
class PickleReader {
  position = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  load(): Value {
    const stack: Value[] = [];
    const memo = new Map<number, Value>();
    const popMark = (): Value[] => {
      const at = stack.lastIndexOf(MARK);
      if (at < 0) throw new TorchCheckpointError('pickle: MARK missing');
      return stack.splice(at).slice(1);
    };
    for (;;) {
      const op = this.u8();
      switch (op) {
        case 0x80: // PROTO
          this.u8();
          break;
        case 0x95: // FRAME
          this.position += 8;
          break;
        case 0x2e: // STOP
          return stack.pop() ?? null;
        case 0x28: // MARK
          stack.push(MARK);
          break;
        case 0x7d: // EMPTY_DICT
          stack.push(new Map());
          break;
        case 0x5d: // EMPTY_LIST
          stack.push([]);
          break;
        case 0x29: // EMPTY_TUPLE
          stack.push([]);
          break;
        case 0x4e: // NONE
          stack.push(null);
          break;
        case 0x88: // NEWTRUE
          stack.push(true);
          break;
        case 0x89: // NEWFALSE
          stack.push(false);
          break;
        case 0x4b: // BININT1
          stack.push(this.u8());
          break;
        case 0x4d: // BININT2
          stack.push(this.view.getUint16(this.advance(2), true));
          break;
        case 0x4a: // BININT
          stack.push(this.view.getInt32(this.advance(4), true));
          break;
        case 0x8a: // LONG1
          stack.push(this.long(this.u8()));
          break;
        case 0x47: // BINFLOAT
          stack.push(this.view.getFloat64(this.advance(8), false));
          break;
        case 0x58: // BINUNICODE
          stack.push(this.text(this.view.getUint32(this.advance(4), true)));
          break;
        case 0x8c: // SHORT_BINUNICODE
          stack.push(this.text(this.u8()));
          break;
        case 0x55: // SHORT_BINSTRING
          stack.push(this.text(this.u8()));
          break;
        case 0x43: // SHORT_BINBYTES
          stack.push(this.raw(this.u8()));
          break;
        case 0x42: // BINBYTES
          stack.push(this.raw(this.view.getUint32(this.advance(4), true)));
          break;
        case 0x63: // GLOBAL "module\nname\n"
          stack.push({ kind: 'global', name: `${this.line()}.${this.line()}` });
          break;
        case 0x93: {
          // STACK_GLOBAL
          const name = stack.pop();
          const module = stack.pop();
          stack.push({ kind: 'global', name: `${String(module)}.${String(name)}` });
          break;
        }
        case 0x74: // TUPLE
          stack.push(popMark());
          break;
        case 0x85: // TUPLE1
          stack.push([stack.pop() ?? null]);
          break;
        case 0x86: // TUPLE2
          stack.push(stack.splice(-2));
          break;
        case 0x87: // TUPLE3
          stack.push(stack.splice(-3));
          break;
        case 0x71: // BINPUT
          memo.set(this.u8(), stack[stack.length - 1]);
          break;
        case 0x72: // LONG_BINPUT
          memo.set(this.view.getUint32(this.advance(4), true), stack[stack.length - 1]);
          break;
        case 0x94: // MEMOIZE
          memo.set(memo.size, stack[stack.length - 1]);
          break;
        case 0x68: // BINGET
          stack.push(this.memoGet(memo, this.u8()));
          break;
        case 0x6a: // LONG_BINGET
          stack.push(this.memoGet(memo, this.view.getUint32(this.advance(4), true)));
          break;
        case 0x61: {
          // APPEND
          const item = stack.pop() ?? null;
          (stack[stack.length - 1] as Value[]).push(item);
          break;
        }
        case 0x65: {
          // APPENDS
          const items = popMark();
          (stack[stack.length - 1] as Value[]).push(...items);
          break;
        }
        case 0x73: {
          // SETITEM
          const value = stack.pop() ?? null;
          const key = stack.pop();
          (stack[stack.length - 1] as Map<unknown, Value>).set(key, value);
          break;
        }
        case 0x75: {
          // SETITEMS
          const items = popMark();
          const target = stack[stack.length - 1] as Map<unknown, Value>;
          for (let i = 0; i + 1 < items.length; i += 2) target.set(items[i], items[i + 1]);
          break;
        }
        case 0x51: {
          // BINPERSID: torch's ('storage', type, key, location, size[, view])
          const id = stack.pop() as Value[];
          if (!Array.isArray(id) || id[0] !== 'storage') throw new TorchCheckpointError('pickle: unknown persistent id');
          const type = (id[1] as Global).name.split('.').pop() ?? '';
          stack.push({ kind: 'storage', type, key: String(id[2]), elements: Number(id[4]) });
          break;
        }
        case 0x52: {
          // REDUCE
          const args = stack.pop() as Value[];
          const callable = stack.pop() as Global;
          stack.push(this.reduce(callable, args));
          break;
        }
        case 0x62: // BUILD: the state of an OrderedDict (its _metadata) is not needed
          stack.pop();
          break;
        default:
          throw new TorchCheckpointError(`pickle: unsupported opcode 0x${op.toString(16)} at byte ${this.position - 1}`);
      }
    }
  }

  private reduce(callable: Global, args: Value[]): Value {
    switch (callable?.name) {
      case 'collections.OrderedDict':
        return new Map();
      case 'torch._utils._rebuild_tensor_v2':
      case 'torch._utils._rebuild_tensor': {
        const [storage, offset, shape, stride] = args as [StorageRef, number, number[], number[]];
        return { kind: 'tensor', storage, offset: Number(offset), shape: shape.map(Number), stride: stride.map(Number) };
      }
      default:
        throw new TorchCheckpointError(`pickle: unsupported object ${callable?.name ?? '?'}`);
    }
  }

  private memoGet(memo: Map<number, Value>, index: number): Value {
    if (!memo.has(index)) throw new TorchCheckpointError(`pickle: memo ${index} missing`);
    return memo.get(index) ?? null;
  }

  private advance(count: number): number {
    const at = this.position;
    this.position += count;
    if (this.position > this.bytes.length) throw new TorchCheckpointError('pickle: unexpected end of file');
    return at;
  }

  private u8(): number {
    return this.bytes[this.advance(1)];
  }

  private raw(count: number): Uint8Array {
    const at = this.advance(count);
    return this.bytes.subarray(at, at + count);
  }

  private text(count: number): string {
    return Buffer.from(this.raw(count)).toString('utf8');
  }

  private line(): string {
    const end = this.bytes.indexOf(0x0a, this.position);
    if (end < 0) throw new TorchCheckpointError('pickle: unterminated GLOBAL');
    const value = Buffer.from(this.bytes.subarray(this.position, end)).toString('utf8');
    this.position = end + 1;
    return value;
  }

  /** LONG1: little-endian two's complement integer of `count` bytes. */
  private long(count: number): bigint {
    let value = 0n;
    const bytes = this.raw(count);
    for (let i = count - 1; i >= 0; i -= 1) value = (value << 8n) | BigInt(bytes[i]);
    if (count > 0 && bytes[count - 1] & 0x80) value -= 1n << BigInt(count * 8);
    return value;
  }
}
