/**
 * The dot-product kernel behind exact and approximate vector search.
 *
 * Plain JavaScript tops out near 23 ms for 100k × 384 dot products on a 2-core machine; a
 * WebAssembly SIMD loop (four `f32x4` accumulators) gets several times closer to memory
 * bandwidth. The module is emitted byte by byte below (no toolchain, no dependency) and checked
 * with `WebAssembly.validate`; where SIMD is unavailable the same layout is scanned by an
 * unrolled JavaScript loop (equal results up to float rounding: the summation order differs).
 *
 * Memory layout (owned by {@link VectorKernel}): rows of `stride` floats (the dimension rounded
 * up to a multiple of 16, zero-padded) starting at byte `rowsOffset`, scratch space after them.
 */

/** Floats per row must be a multiple of this (four `f32x4` accumulators per step). */
export const strideAlignment = 16;

const wasmPageBytes = 65_536;

/** Rounds a dimension up to the row stride used in kernel memory. */
export function strideFor(dimensions: number): number {
  return Math.ceil(dimensions / strideAlignment) * strideAlignment;
}

// --- WebAssembly emitter (just what the three functions need) ---

function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  let rest = value >>> 0;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (rest !== 0);
  return bytes;
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsignedLeb(content.length), ...content];
}

function vector(items: number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...unsignedLeb(bytes.length), ...bytes];
}

const i32 = 0x7f;
const v128 = 0x7b;
const op = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  i32Store: 0x36,
  f32Store: 0x38,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32LtU: 0x49,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  f32Add: 0x92,
} as const;
const simd = (code: number): number[] => [0xfd, ...unsignedLeb(code)];
const v128Load = (offset: number): number[] => [...simd(0x00), 4, ...unsignedLeb(offset)];
const f32x4Add = simd(0xe4);
const i16x8ExtmulLowI8x16S = simd(0x9c);
const i16x8ExtmulHighI8x16S = simd(0x9d);
const i16x8Add = simd(0x8e);
const i32x4ExtaddPairwiseI16x8S = simd(0x7e);
const i32x4Add = simd(0xae);
const i32x4ExtractLane = (lane: number): number[] => [...simd(0x1b), lane];
const f32x4Mul = simd(0xe6);
const f32x4ExtractLane = (lane: number): number[] => [...simd(0x1f), lane];
const v128ZeroConst = [...simd(0x0c), ...new Array<number>(16).fill(0)];
const get = (local: number): number[] => [op.localGet, local];
const set = (local: number): number[] => [op.localSet, local];

/**
 * The body that computes one row's dot product with the query into `out[t]`, given the row's
 * byte address in local `row`. Locals: query 0, rowBytes param, acc0..acc3, j.
 */
function dotBody(locals: {
  query: number;
  rowBytes: number;
  row: number;
  j: number;
  acc: [number, number, number, number];
  outAddress: number[];
}): number[] {
  const { query, rowBytes, row, j, acc, outAddress } = locals;
  const step = (accumulator: number, offset: number): number[] => [
    ...get(accumulator),
    ...get(query),
    ...get(j),
    op.i32Add,
    ...v128Load(offset),
    ...get(row),
    ...get(j),
    op.i32Add,
    ...v128Load(offset),
    ...f32x4Mul,
    ...f32x4Add,
    ...set(accumulator),
  ];
  return [
    ...v128ZeroConst,
    ...set(acc[0]),
    ...v128ZeroConst,
    ...set(acc[1]),
    ...v128ZeroConst,
    ...set(acc[2]),
    ...v128ZeroConst,
    ...set(acc[3]),
    op.i32Const,
    0,
    ...set(j),
    op.loop,
    0x40,
    ...step(acc[0], 0),
    ...step(acc[1], 16),
    ...step(acc[2], 32),
    ...step(acc[3], 48),
    ...get(j),
    op.i32Const,
    ...[0xc0, 0x00], // 64 as a signed LEB
    op.i32Add,
    op.localTee,
    j,
    ...get(rowBytes),
    op.i32LtU,
    op.brIf,
    0,
    op.end,
    // out = horizontal sum of (acc0 + acc1) + (acc2 + acc3)
    ...outAddress,
    ...get(acc[0]),
    ...get(acc[1]),
    ...f32x4Add,
    ...get(acc[2]),
    ...get(acc[3]),
    ...f32x4Add,
    ...f32x4Add,
    op.localTee,
    acc[0],
    ...f32x4ExtractLane(0),
    ...get(acc[0]),
    ...f32x4ExtractLane(1),
    op.f32Add,
    ...get(acc[0]),
    ...f32x4ExtractLane(2),
    ...get(acc[0]),
    ...f32x4ExtractLane(3),
    op.f32Add,
    op.f32Add,
    op.f32Store,
    2,
    0,
  ];
}

/**
 * `dots(query, rows, count, rowBytes, out)`: out[i] = query · row i, rows contiguous.
 * Params 0..4; locals: 5 row (i32), 6 i (i32), 7 j (i32), 8..11 accumulators (v128).
 */
function dotsFunction(): number[] {
  const [query, rows, count, rowBytes, out, row, i, j] = [0, 1, 2, 3, 4, 5, 6, 7];
  const body = [
    ...get(rows),
    ...set(row),
    op.i32Const,
    0,
    ...set(i),
    op.block,
    0x40,
    ...get(count),
    op.i32Eqz,
    op.brIf,
    0,
    op.loop,
    0x40,
    ...dotBody({
      query,
      rowBytes,
      row,
      j,
      acc: [8, 9, 10, 11],
      outAddress: [...get(out), ...get(i), op.i32Const, 4, op.i32Mul, op.i32Add],
    }),
    ...get(row),
    ...get(rowBytes),
    op.i32Add,
    ...set(row),
    ...get(i),
    op.i32Const,
    1,
    op.i32Add,
    op.localTee,
    i,
    ...get(count),
    op.i32LtU,
    op.brIf,
    0,
    op.end,
    op.end,
    op.end,
  ];
  const locals = vector([
    [3, i32],
    [4, v128],
  ]);
  const code = [...locals, ...body];
  return [...unsignedLeb(code.length), ...code];
}

/**
 * `gatherDots(query, rows, indices, count, rowBytes, out)`: out[t] = query · row indices[t].
 * Params 0..5; locals: 6 row, 7 t, 8 j, 9..12 accumulators.
 */
function gatherDotsFunction(): number[] {
  const [query, rows, indices, count, rowBytes, out, row, t, j] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const body = [
    op.i32Const,
    0,
    ...set(t),
    op.block,
    0x40,
    ...get(count),
    op.i32Eqz,
    op.brIf,
    0,
    op.loop,
    0x40,
    // row = rows + indices[t] * rowBytes
    ...get(rows),
    ...get(indices),
    ...get(t),
    op.i32Const,
    4,
    op.i32Mul,
    op.i32Add,
    op.i32Load,
    2,
    0,
    ...get(rowBytes),
    op.i32Mul,
    op.i32Add,
    ...set(row),
    ...dotBody({
      query,
      rowBytes,
      row,
      j,
      acc: [9, 10, 11, 12],
      outAddress: [...get(out), ...get(t), op.i32Const, 4, op.i32Mul, op.i32Add],
    }),
    ...get(t),
    op.i32Const,
    1,
    op.i32Add,
    op.localTee,
    t,
    ...get(count),
    op.i32LtU,
    op.brIf,
    0,
    op.end,
    op.end,
    op.end,
  ];
  const locals = vector([
    [3, i32],
    [4, v128],
  ]);
  const code = [...locals, ...body];
  return [...unsignedLeb(code.length), ...code];
}

/**
 * `dotsInt8(query8, rows8, count, rowBytes, out)`: out[i] (i32) = Σ query8[j] · rows8[i][j],
 * int8 rows and an int8 query: per 16 bytes, two `i16x8.extmul` (each pair sum of products fits
 * an i16: 2 · 127² < 2¹⁵), one `i16x8.add`, one `i32x4.extadd_pairwise_i16x8_s`. A quarter of
 * the memory traffic of the float scan: the first pass of exact search on large namespaces.
 * Params 0..4; locals: 5 row, 6 i, 7 j, 8 accumulator, 9 x, 10 q (v128).
 */
function dotsInt8Function(): number[] {
  const [query, rows, count, rowBytes, out, row, i, j, acc, x, q] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
  ];
  const body = [
    ...get(rows),
    ...set(row),
    op.i32Const,
    0,
    ...set(i),
    op.block,
    0x40,
    ...get(count),
    op.i32Eqz,
    op.brIf,
    0,
    op.loop,
    0x40,
    ...v128ZeroConst,
    ...set(acc),
    op.i32Const,
    0,
    ...set(j),
    op.loop,
    0x40,
    ...get(acc),
    ...get(row),
    ...get(j),
    op.i32Add,
    ...v128Load(0),
    op.localTee,
    x,
    ...get(query),
    ...get(j),
    op.i32Add,
    ...v128Load(0),
    op.localTee,
    q,
    ...i16x8ExtmulLowI8x16S,
    ...get(x),
    ...get(q),
    ...i16x8ExtmulHighI8x16S,
    ...i16x8Add,
    ...i32x4ExtaddPairwiseI16x8S,
    ...i32x4Add,
    ...set(acc),
    ...get(j),
    op.i32Const,
    16,
    op.i32Add,
    op.localTee,
    j,
    ...get(rowBytes),
    op.i32LtU,
    op.brIf,
    0,
    op.end,
    // out[i] = horizontal sum of acc
    ...get(out),
    ...get(i),
    op.i32Const,
    4,
    op.i32Mul,
    op.i32Add,
    ...get(acc),
    ...i32x4ExtractLane(0),
    ...get(acc),
    ...i32x4ExtractLane(1),
    op.i32Add,
    ...get(acc),
    ...i32x4ExtractLane(2),
    ...get(acc),
    ...i32x4ExtractLane(3),
    op.i32Add,
    op.i32Add,
    op.i32Store,
    2,
    0,
    ...get(row),
    ...get(rowBytes),
    op.i32Add,
    ...set(row),
    ...get(i),
    op.i32Const,
    1,
    op.i32Add,
    op.localTee,
    i,
    ...get(count),
    op.i32LtU,
    op.brIf,
    0,
    op.end,
    op.end,
    op.end,
  ];
  const locals = vector([
    [3, i32],
    [3, v128],
  ]);
  const code = [...locals, ...body];
  return [...unsignedLeb(code.length), ...code];
}

/**
 * The bytes of the SIMD module: imports `env.memory`, exports `dots`, `gatherDots` and
 * `dotsInt8`.
 */
export function simdModuleBytes(): Uint8Array {
  const dotsType = [0x60, ...vector([[i32], [i32], [i32], [i32], [i32]]), 0];
  const gatherType = [0x60, ...vector([[i32], [i32], [i32], [i32], [i32], [i32]]), 0];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector([dotsType, gatherType])),
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, 1]])),
    ...section(3, vector([[0], [1], [0]])),
    ...section(
      7,
      vector([
        [...name('dots'), 0x00, 0],
        [...name('gatherDots'), 0x00, 1],
        [...name('dotsInt8'), 0x00, 2],
      ]),
    ),
    ...section(10, vector([dotsFunction(), gatherDotsFunction(), dotsInt8Function()])),
  ];
  return new Uint8Array(bytes);
}

/** The functions of the SIMD module. */
export type SimdExports = {
  dots(query: number, rows: number, count: number, rowBytes: number, out: number): void;
  dotsInt8(query: number, rows: number, count: number, rowBytes: number, out: number): void;
  gatherDots(
    query: number,
    rows: number,
    indices: number,
    count: number,
    rowBytes: number,
    out: number,
  ): void;
};

/** The parts of the WebAssembly API used here (core's `lib` setting has no DOM types). */
export type WasmMemory = { readonly buffer: ArrayBuffer; grow(pages: number): number };
type WasmModule = object;
type WasmApi = {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
};

/** The runtime's WebAssembly, if it has one. */
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

let compiledModule: WasmModule | null | undefined;

/** The compiled SIMD module, or `null` where this runtime lacks WebAssembly SIMD. */
function simdModule(): WasmModule | null {
  if (compiledModule !== undefined) return compiledModule;
  try {
    const bytes = simdModuleBytes();
    compiledModule = wasm?.validate(bytes) === true ? new wasm.Module(bytes) : null;
  } catch {
    compiledModule = null;
  }
  return compiledModule;
}

/**
 * A fresh linear memory and, where SIMD is available (and not refused), an instance of the
 * kernel module bound to it. Without WebAssembly, a plain ArrayBuffer stands in for the memory.
 */
export function createKernelMemory(forceJavaScript = false): {
  memory: WasmMemory;
  exports: SimdExports | undefined;
} {
  const module = forceJavaScript ? null : simdModule();
  const memory = wasm === undefined ? new ArrayBufferMemory() : new wasm.Memory({ initial: 1 });
  const exports =
    module === null || wasm === undefined
      ? undefined
      : (new wasm.Instance(module, { env: { memory } }).exports as SimdExports);
  return { memory, exports };
}

/** Whether the WebAssembly SIMD kernel is available in this runtime. */
export function isSimdKernelAvailable(): boolean {
  return simdModule() !== null;
}

/**
 * A growable block of vector rows plus the kernel that scans it. Rows live in one
 * `WebAssembly.Memory` so the SIMD code reads them in place, without a copy per query.
 */
export class VectorKernel {
  /** Floats per row in memory (dimension rounded up to a multiple of 16). */
  readonly stride: number;
  /** Vector dimension. */
  readonly dimensions: number;
  /** Whether the SIMD path is used (false: the JavaScript fallback). */
  readonly usesSimd: boolean;
  private readonly memory: WasmMemory;
  private readonly exports: SimdExports | undefined;
  private capacityRows = 0;
  private floats!: Float32Array;
  private words!: Int32Array;
  /** Bytes before the rows: the query. */
  private readonly rowsOffset: number;

  /**
   * @param dimensions - vector dimension
   * @param options.initialCapacity - rows to reserve
   * @param options.forceJavaScript - use the JavaScript loop even when SIMD is available (tests)
   */
  constructor(
    dimensions: number,
    options: { initialCapacity?: number; forceJavaScript?: boolean } = {},
  ) {
    this.dimensions = dimensions;
    this.stride = strideFor(dimensions);
    this.rowsOffset = Math.ceil((this.stride * 4) / 64) * 64;
    const { memory, exports } = createKernelMemory(options.forceJavaScript === true);
    this.memory = memory;
    this.exports = exports;
    this.usesSimd = this.exports !== undefined;
    this.refreshViews();
    this.reserve(options.initialCapacity ?? 0);
  }

  /** Rows that fit without growing memory. */
  get capacity(): number {
    return this.capacityRows;
  }

  /** Makes room for at least `rows` rows (plus the scratch space a scan of them needs). */
  reserve(rows: number): void {
    if (rows <= this.capacityRows) return;
    const newCapacity = Math.max(rows, Math.ceil(this.capacityRows * 1.5), 1024);
    const needed = this.rowsOffset + newCapacity * this.stride * 4 + newCapacity * 8 + 64;
    const pages = Math.ceil(needed / wasmPageBytes) - this.memory.buffer.byteLength / wasmPageBytes;
    if (pages > 0) this.memory.grow(pages);
    // Growing detaches the old buffer; scratch lies after the rows, so the rows never move.
    this.capacityRows = newCapacity;
    this.refreshViews();
  }

  private refreshViews(): void {
    this.floats = new Float32Array(this.memory.buffer);
    this.words = new Int32Array(this.memory.buffer);
  }

  /** A view on row `row` (length `stride`). Invalidated when memory grows. */
  row(row: number): Float32Array {
    const start = this.rowsOffset / 4 + row * this.stride;
    return this.floats.subarray(start, start + this.stride);
  }

  /** A view on rows `[0, count)` as one flat array (for saving). Invalidated when memory grows. */
  rows(count: number): Float32Array {
    const start = this.rowsOffset / 4;
    return this.floats.subarray(start, start + count * this.stride);
  }

  /** Writes `values` (length `dimensions`) into row `row`, zero-padding to the stride. */
  setRow(row: number, values: ArrayLike<number>, scale = 1): void {
    this.reserve(row + 1);
    const target = this.row(row);
    for (let index = 0; index < this.dimensions; index++)
      target[index] = (values[index] ?? 0) * scale;
    target.fill(0, this.dimensions);
  }

  /** Copies row `from` over row `to`. */
  copyRow(from: number, to: number): void {
    const start = this.rowsOffset / 4;
    this.floats.copyWithin(
      start + to * this.stride,
      start + from * this.stride,
      start + (from + 1) * this.stride,
    );
  }

  /** Makes room for `count` rows and returns their bytes (for loading straight into memory). */
  prepareRows(count: number): Uint8Array {
    this.reserve(count);
    return new Uint8Array(this.memory.buffer, this.rowsOffset, count * this.stride * 4);
  }

  /** Copies `count` rows stored with the same stride (from a saved file) in at row 0. */
  setRows(values: Float32Array, count: number): void {
    this.reserve(count);
    this.floats.set(values.subarray(0, count * this.stride), this.rowsOffset / 4);
  }

  private writeQuery(query: ArrayLike<number>): void {
    const floats = this.floats;
    for (let index = 0; index < this.dimensions; index++) floats[index] = query[index] ?? 0;
    floats.fill(0, this.dimensions, this.stride);
  }

  private scoresOffset(): number {
    return this.rowsOffset + this.capacityRows * this.stride * 4;
  }

  /**
   * Dot products of `query` with rows `[0, count)`. Returns a view valid until the next call
   * (it lives in kernel scratch memory).
   */
  dots(query: ArrayLike<number>, count: number): Float32Array {
    this.writeQuery(query);
    const out = this.scoresOffset();
    if (this.exports !== undefined && count > 0) {
      this.exports.dots(0, this.rowsOffset, count, this.stride * 4, out);
    } else {
      this.javaScriptDots(count, out);
    }
    return this.floats.subarray(out / 4, out / 4 + count);
  }

  /**
   * Dot products of `query` with the rows listed in `indices`. Returns a view valid until the
   * next call; `result[t]` belongs to row `indices[t]`.
   */
  gatherDots(query: ArrayLike<number>, indices: Int32Array): Float32Array {
    this.writeQuery(query);
    const count = indices.length;
    if (count > this.capacityRows) throw new RangeError('More indices than rows.');
    const out = this.scoresOffset();
    const indexOffset = out + this.capacityRows * 4;
    this.words.set(indices, indexOffset / 4);
    if (this.exports !== undefined && count > 0) {
      this.exports.gatherDots(0, this.rowsOffset, indexOffset, count, this.stride * 4, out);
    } else {
      this.javaScriptGatherDots(indices, out);
    }
    return this.floats.subarray(out / 4, out / 4 + count);
  }

  private javaScriptDots(count: number, out: number): void {
    const floats = this.floats;
    const stride = this.stride;
    const outIndex = out / 4;
    let base = this.rowsOffset / 4;
    for (let row = 0; row < count; row++, base += stride) {
      floats[outIndex + row] = this.javaScriptDot(base);
    }
  }

  private javaScriptGatherDots(indices: Int32Array, out: number): void {
    const floats = this.floats;
    const outIndex = out / 4;
    const rowsStart = this.rowsOffset / 4;
    for (let t = 0; t < indices.length; t++) {
      floats[outIndex + t] = this.javaScriptDot(rowsStart + (indices[t] as number) * this.stride);
    }
  }

  private javaScriptDot(base: number): number {
    const floats = this.floats;
    let sum0 = 0;
    let sum1 = 0;
    let sum2 = 0;
    let sum3 = 0;
    for (let index = 0; index < this.stride; index += 4) {
      sum0 += (floats[index] as number) * (floats[base + index] as number);
      sum1 += (floats[index + 1] as number) * (floats[base + index + 1] as number);
      sum2 += (floats[index + 2] as number) * (floats[base + index + 2] as number);
      sum3 += (floats[index + 3] as number) * (floats[base + index + 3] as number);
    }
    return sum0 + sum1 + (sum2 + sum3);
  }
}

/** A growable ArrayBuffer with `WebAssembly.Memory`'s interface, for runtimes without wasm. */
class ArrayBufferMemory implements WasmMemory {
  buffer = new ArrayBuffer(wasmPageBytes);

  grow(pages: number): number {
    const previousPages = this.buffer.byteLength / wasmPageBytes;
    const grown = new ArrayBuffer(this.buffer.byteLength + pages * wasmPageBytes);
    new Uint8Array(grown).set(new Uint8Array(this.buffer));
    this.buffer = grown;
    return previousPages;
  }
}
