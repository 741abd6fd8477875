// Faster Concat and Slice for tfjs's wasm backend. The backend's own (4.22, written in JS) copy
// each innermost run with `subarray().set()`. face-api's nets concatenate along the channel axis,
// where a run is 1–256 numbers (a 150×150 input's mean subtraction alone is 67,500 copies of one
// number), and cut faces out of an H×W×3 image, one 3-number run per pixel: together ≈ 10 ms of a
// key frame's ≈ 50 (decision 092). Here short runs are copied by a plain loop, and a slice copies
// whole rows where the inner dimensions are taken in full. Pure data movement: the nets' results
// are bit-identical (wasm-copy-kernels.test.ts).

// tfjs's kernel registry and the wasm backend's internals: only what is used here is typed.
interface TensorInfo { dataId: object; shape: number[]; dtype: string }
type Values = Float32Array | Int32Array | Uint8Array;
interface WasmBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Values;
}
interface KernelArgs {
  inputs: TensorInfo[] | { x: TensorInfo };
  backend: WasmBackend;
  attrs: { axis?: number | number[]; begin?: number | number[]; size?: number | number[] };
}
type KernelFunc = (args: KernelArgs) => TensorInfo;
interface KernelConfig { kernelName: string; backendName: string; kernelFunc: KernelFunc }
export interface KernelRegistry {
  getKernel(kernelName: string, backendName: string): KernelConfig | undefined;
  unregisterKernel(kernelName: string, backendName: string): void;
  registerKernel(config: KernelConfig): void;
}

// Below this many numbers a loop beats set(): set() on a fresh subarray costs two allocations.
const LOOP_BELOW = 64;

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function copyRun(from: Values, at: number, to: Values, into: number, n: number): void {
  if (n < LOOP_BELOW) {
    for (let k = 0; k < n; k++) to[into + k] = from[at + k]!;
  } else {
    to.set(from.subarray(at, at + n), into);
  }
}

/** Concat of same-typed numeric tensors; null when the original kernel should answer (strings, errors). */
function concat({ inputs, backend, attrs }: KernelArgs): TensorInfo | null {
  if (!Array.isArray(inputs) || inputs.length === 0) return null;
  const first = inputs[0]!;
  const rank = first.shape.length;
  const axisAttr = Array.isArray(attrs.axis) ? attrs.axis[0] : attrs.axis;
  if (typeof axisAttr !== 'number' || first.dtype === 'string') return null;
  const axis = axisAttr < 0 ? axisAttr + rank : axisAttr;
  const consistent = inputs.every((t) => t.dtype === first.dtype && t.shape.length === rank && t.shape.every((d, i) => i === axis || d === first.shape[i]));
  const nonEmpty = inputs.filter((t) => sizeOf(t.shape) > 0);
  if (!consistent || axis < 0 || axis >= rank || nonEmpty.length < 2) return null;

  const outShape = first.shape.slice();
  outShape[axis] = inputs.reduce((s, t) => s + t.shape[axis]!, 0);
  const out = backend.makeOutput(outShape, first.dtype);
  // Views of the heap only after makeOutput: allocating may grow the heap and detach older views.
  const ins = nonEmpty.map((t) => backend.typedArrayFromHeap(t));
  const inner = nonEmpty.map((t) => sizeOf(t.shape.slice(axis)));
  const outVals = backend.typedArrayFromHeap(out);
  const batch = sizeOf(outShape.slice(0, axis));
  let o = 0;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < ins.length; i++) {
      copyRun(ins[i]!, b * inner[i]!, outVals, o, inner[i]!);
      o += inner[i]!;
    }
  }
  return out;
}

/** Slice of a numeric tensor with full-rank begin and size; null when the original kernel should answer. */
function slice({ inputs, backend, attrs }: KernelArgs): TensorInfo | null {
  if (Array.isArray(inputs)) return null;
  const { x } = inputs;
  const rank = x.shape.length;
  const { begin, size: sizeAttr } = attrs;
  if (rank === 0 || x.dtype === 'string' || !Array.isArray(begin) || !Array.isArray(sizeAttr) || begin.length !== rank || sizeAttr.length !== rank) return null;
  const size = sizeAttr.map((s, d) => (s === -1 ? x.shape[d]! - begin[d]! : s));
  if (size.some((s, d) => s < 0 || begin[d]! < 0 || begin[d]! + s > x.shape[d]!)) return null; // its error message

  const out = backend.makeOutput(size, x.dtype);
  if (sizeOf(size) === 0) return out;
  const from = backend.typedArrayFromHeap(x);
  const to = backend.typedArrayFromHeap(out);
  const strides = x.shape.map((_, d) => sizeOf(x.shape.slice(d + 1)));
  // The innermost dimensions taken whole, plus the first one that is not, form one contiguous run.
  let k = rank - 1;
  while (k > 0 && size[k] === x.shape[k]) k--;
  const run = size[k]! * strides[k]!;
  const outer = size.slice(0, k);
  const index = outer.map(() => 0);
  for (let o = 0, runs = sizeOf(outer); o < runs; o++) {
    let at = begin[k]! * strides[k]!;
    for (let d = 0; d < k; d++) at += (begin[d]! + index[d]!) * strides[d]!;
    copyRun(from, at, to, o * run, run);
    for (let d = k - 1; d >= 0 && ++index[d]! === outer[d]; d--) index[d] = 0;
  }
  return out;
}

// The kernels replaced in this thread, by name: kept so that tests and the bench can compare.
const originals = new Map<string, KernelConfig>();

/** Replaces the wasm backend's Concat and Slice with the faster copies (once per thread). */
export function installWasmCopyKernels(tf: KernelRegistry): void {
  for (const [name, fast] of [['Concat', concat], ['Slice', slice]] as const) {
    const original = tf.getKernel(name, 'wasm');
    if (!original || originals.has(name)) continue;
    originals.set(name, original);
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ ...original, kernelFunc: (args) => fast(args) ?? original.kernelFunc(args) });
  }
}

/** Puts tfjs's own kernels back (tests and the bench's A/B only). */
export function restoreWasmCopyKernels(tf: KernelRegistry): void {
  for (const [name, original] of originals) {
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(original);
  }
  originals.clear();
}
