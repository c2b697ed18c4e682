import { ensureLength } from './growable.js';
import { createKernelMemory, type SimdExports, type WasmMemory } from './vector-kernel.js';

const wasmPageBytes = 65_536;

/**
 * The smallest normal float32. A row whose scale is below it (all its values under about
 * 1.5e−36, zero rows included) was quantized with a subnormal or zero float32 scale, whose
 * relative rounding can exceed the `scale/2` the error bound assumes (a scale that rounds to 0
 * drops a non-zero row entirely): such rows get no bound and are always rescored.
 */
export const minimumBoundedScale = 2 ** -126;

/**
 * An int8 copy of a kernel's rows (one scale per row), scanned with `dotsInt8` (against an int8
 * copy of the query) as the first pass
 * of exact search on large namespaces. At 100k × 384 the float rows are 150 MB, more than the
 * caches hold, so a float scan is bound by memory bandwidth; the int8 copy is a quarter of that.
 *
 * The scan is not trusted for the ranking: each approximate score comes with a proven error bound
 * (rounding of the row and of the query, plus float summation), so the caller can keep every row
 * whose upper bound reaches the k-th best lower bound and rescore those exactly. The final top-K
 * is the same as a full float scan's.
 */
export class QuantizedRows {
  /** Bytes per int8 row (the float kernel's stride). */
  readonly stride: number;
  /** The vector dimension. */
  readonly dimensions: number;
  /**
   * Per-row scale: row value ≈ int8 value × scale. Only a scale of at least
   * {@link minimumBoundedScale} guarantees the rounding bound `|value − int8 × scale| ≤ scale/2`.
   */
  scales = new Float32Array(0);
  /** Per-row L1 norm of the dequantized row (for the error bound). */
  norms = new Float32Array(0);
  private readonly memory: WasmMemory;
  private readonly exports: SimdExports | undefined;
  private capacityRows = 0;
  private bytes!: Int8Array;
  private queryBytes!: Int8Array;
  private words!: Int32Array;
  private readonly rowsOffset: number;

  constructor(dimensions: number, stride: number, forceJavaScript = false) {
    this.dimensions = dimensions;
    this.stride = stride;
    this.rowsOffset = Math.ceil(stride / 64) * 64;
    const { memory, exports } = createKernelMemory(forceJavaScript);
    this.memory = memory;
    this.exports = exports;
    this.refreshViews();
  }

  /** Whether the SIMD path runs the scan. */
  get usesSimd(): boolean {
    return this.exports !== undefined;
  }

  private refreshViews(): void {
    this.bytes = new Int8Array(this.memory.buffer);
    this.queryBytes = new Int8Array(this.memory.buffer);
    this.words = new Int32Array(this.memory.buffer);
  }

  private reserve(rows: number): void {
    if (rows <= this.capacityRows) return;
    const capacity = Math.max(rows, Math.ceil(this.capacityRows * 1.5), 1024);
    // Scratch (the sums) lies after the rows, so growing never moves a row.
    const needed = this.rowsOffset + capacity * this.stride + capacity * 4 + 64;
    const pages = Math.ceil(needed / wasmPageBytes) - this.memory.buffer.byteLength / wasmPageBytes;
    if (pages > 0) this.memory.grow(pages);
    this.capacityRows = capacity;
    this.scales = ensureLength(this.scales, capacity, Float32Array);
    this.norms = ensureLength(this.norms, capacity, Float32Array);
    this.refreshViews();
  }

  /** Quantizes `values` (a float row of at least `dimensions`) into row `row`. */
  setRow(row: number, values: ArrayLike<number>): void {
    this.reserve(row + 1);
    let max = 0;
    for (let index = 0; index < this.dimensions; index++)
      max = Math.max(max, Math.abs(values[index] as number));
    // The scale is stored as float32, so quantize with exactly that value.
    const scale = Math.fround(max / 127);
    const inverse = scale > 0 ? 1 / scale : 0;
    const start = this.rowsOffset + row * this.stride;
    let norm = 0;
    for (let index = 0; index < this.dimensions; index++) {
      const quantized = Math.max(
        -127,
        Math.min(127, Math.round((values[index] as number) * inverse)),
      );
      this.bytes[start + index] = quantized;
      norm += Math.abs(quantized);
    }
    this.bytes.fill(0, start + this.dimensions, start + this.stride);
    this.scales[row] = scale;
    this.norms[row] = norm * scale;
  }

  /** Makes room for `count` rows and returns their bytes (for loading straight into memory). */
  prepare(count: number): Uint8Array {
    this.reserve(count);
    return new Uint8Array(this.memory.buffer, this.rowsOffset, count * this.stride);
  }

  /** The int8 rows `[0, count)` as bytes, with their scales and norms (for saving). */
  export(count: number): { rows: Uint8Array; scales: Float32Array; norms: Float32Array } {
    return {
      rows: new Uint8Array(this.memory.buffer, this.rowsOffset, count * this.stride),
      scales: this.scales.subarray(0, count),
      norms: this.norms.subarray(0, count),
    };
  }

  /** Restores what {@link export} gave. */
  import(
    count: number,
    saved: { rows: Uint8Array | undefined; scales: Float32Array; norms: Float32Array },
  ): void {
    this.reserve(count);
    // Rows already read into place (see `prepare`) come as undefined.
    if (saved.rows !== undefined) {
      new Uint8Array(this.memory.buffer).set(
        saved.rows.subarray(0, count * this.stride),
        this.rowsOffset,
      );
    }
    this.scales.set(saved.scales.subarray(0, count));
    this.norms.set(saved.norms.subarray(0, count));
  }

  /** Copies row `from` over row `to` (compaction). */
  copyRow(from: number, to: number): void {
    const source = this.rowsOffset + from * this.stride;
    this.bytes.copyWithin(this.rowsOffset + to * this.stride, source, source + this.stride);
    this.scales[to] = this.scales[from] as number;
    this.norms[to] = this.norms[from] as number;
  }

  /**
   * Scans rows `[0, count)` with a float query. Returns the integer sums (a view valid until the
   * next scan) and what turns a sum into an approximate score and its error bound:
   * `approx[r] = sums[r] · scales[r] · queryScale`, and
   * `|exact[r] − approx[r]| ≤ errorPerScale · scales[r] + errorPerNorm · norms[r]`.
   */
  scan(
    query: ArrayLike<number>,
    count: number,
  ): {
    sums: Int32Array;
    queryScale: number;
    errorPerScale: number;
    errorPerNorm: number;
    errorConstant: number;
  } {
    let max = 0;
    let l1 = 0;
    let squares = 0;
    for (let index = 0; index < this.dimensions; index++) {
      const value = query[index] as number;
      max = Math.max(max, Math.abs(value));
      l1 += Math.abs(value);
      squares += value * value;
    }
    const queryScale = max / 127;
    const inverse = queryScale > 0 ? 1 / queryScale : 0;
    for (let index = 0; index < this.dimensions; index++) {
      this.queryBytes[index] = Math.max(
        -127,
        Math.min(127, Math.round((query[index] as number) * inverse)),
      );
    }
    this.queryBytes.fill(0, this.dimensions, this.stride);
    const out = this.rowsOffset + this.capacityRows * this.stride;
    if (this.exports !== undefined && count > 0) {
      this.exports.dotsInt8(0, this.rowsOffset, count, this.stride, out);
    } else {
      this.javaScriptScan(count, out);
    }
    // Rounding the row moves each element by at most scale/2 (weighted by |q|: ‖q‖₁ · scale/2);
    // rounding the query by at most queryScale/2 (weighted by the row: norm · queryScale/2).
    // The float rescoring itself sums `dimensions` products in float32: a relative error below
    // dimensions · 2⁻²³ of Σ|qᵢxᵢ| ≤ ‖q‖₂ · ‖x‖₂ ≤ ‖q‖₂ · (norm + dimensions · scale/2).
    const floatError = this.dimensions * 1.2e-7 * Math.sqrt(squares);
    // A relative margin of 1e-6 covers the float32 storage of the norms. The relative bounds
    // fail where a float32 product underflows to a subnormal (each then rounds by up to 2⁻¹⁵⁰
    // in absolute terms): `errorConstant` covers that, for tiny unnormalised vectors.
    return {
      sums: this.words.subarray(out / 4, out / 4 + count),
      queryScale,
      errorPerScale: (l1 / 2 + floatError * (this.dimensions / 2)) * (1 + 1e-6),
      errorPerNorm: (queryScale / 2 + floatError) * (1 + 1e-6),
      errorConstant: this.dimensions * 2 ** -149,
    };
  }

  private javaScriptScan(count: number, out: number): void {
    const bytes = this.bytes;
    const queryBytes = this.queryBytes;
    const outIndex = out / 4;
    for (let row = 0; row < count; row++) {
      const start = this.rowsOffset + row * this.stride;
      let sum = 0;
      for (let index = 0; index < this.stride; index++) {
        sum += (bytes[start + index] as number) * (queryBytes[index] as number);
      }
      this.words[outIndex + row] = sum;
    }
  }
}
