import { createHash } from 'node:crypto';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { pushVarint, ThriftWriter, type ThriftStruct } from './thrift-compact.ts';

/** A column's values: 64-bit integers, UTF-8 text, JSON text or booleans; every column may hold nulls. */
export type ColumnKind = 'int64' | 'string' | 'json' | 'bool';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
  /** A text every row has (a run's id, a grid value): stored once per row group as a dictionary. */
  constant?: string;
}

// Parquet's enumerations (parquet.thrift).
const TYPE = { bool: 0, int64: 2, string: 6, json: 6 } as const;
const OPTIONAL = 1;
const CONVERTED_UTF8 = 0;
const CONVERTED_JSON = 19;
const ENCODING_PLAIN = 0;
const ENCODING_RLE = 3;
const ENCODING_RLE_DICTIONARY = 8;
const PAGE_DATA = 0;
const PAGE_DICTIONARY = 2;
const CODEC_UNCOMPRESSED = 0;

const TWO_TO_32 = 4294967296;

/**
 * One column's values for the row group being filled, already encoded:
 * numbers and booleans PLAIN, texts as a dictionary (each distinct text's
 * PLAIN bytes once, in `values`) and an index per present row. Values are
 * encoded as they arrive rather than kept as strings: a row group's worth
 * of live strings survives into V8's old generation and made garbage
 * collection cost more than the encoding. Dictionaries because DuckDB
 * queries dictionary-encoded text about a third faster than PLAIN text.
 */
interface ColumnBuffer {
  spec: ColumnSpec;
  present: Uint8Array;
  /** How many rows of this row group have a value (so that an all-null or all-present column's levels need no loop). */
  set: number;
  values: Buffer;
  /** int64 columns: `values` as a DataView (the buffer never grows), to write a number's two 32-bit words. */
  view: DataView;
  used: number;
  /** Booleans are bit-packed: how many are in `values` so far. */
  bits: number;
  /** Texts: each distinct text's index in the dictionary (this row group's). */
  dictionary: Map<string, number>;
  /** Texts: the dictionary index of each present row, in row order. */
  indices: Uint32Array;
  count: number;
}

/**
 * Writes a Parquet file row by row, with flat memory: rows fill fixed-size
 * buffers and each full row group goes to disk as one uncompressed page per
 * column (numbers PLAIN, texts dictionary-encoded). Simple encodings and no
 * compression because this writer runs inside the simulator, per event: it
 * must cost far less than the event itself (a general-purpose JavaScript
 * Parquet writer measured 11 µs per row here). Constant columns are one
 * dictionary entry and one run, so a run id costs bytes per row group, not
 * per row. Deterministic: the same rows give the same bytes.
 */
export class ParquetColumnsFile {
  private readonly fd: number;
  private readonly columns: ColumnBuffer[];
  private readonly rowGroups: ThriftStruct[] = [];
  private page = Buffer.allocUnsafe(1 << 20);
  private offset = 0;
  private rows = 0;
  private totalRows = 0;
  private closed = false;
  private indexPage = Buffer.allocUnsafe(1 << 16);
  /**
   * The file's SHA-256, taken of the bytes as they are written: log-files.json
   * records it, and reading a run's file back to hash it cost a sweep run
   * more than hashing (a 58 MB events.parquet: 0.33 s of CPU read and hashed,
   * 0.13 s hashed alone).
   */
  private readonly hasher = createHash('sha256');
  private digest: string | undefined;

  constructor(
    private readonly path: string,
    specs: readonly ColumnSpec[],
    private readonly rowGroupRows = 122_880,
  ) {
    this.columns = specs.map((spec) => {
      const values = Buffer.alloc(
        spec.constant !== undefined ? 0 : spec.kind === 'int64' ? rowGroupRows * 8 : spec.kind === 'bool' ? Math.ceil(rowGroupRows / 8) : 1 << 16,
      );
      return {
        spec,
        present: new Uint8Array(rowGroupRows),
        set: 0,
        values,
        view: new DataView(values.buffer, values.byteOffset, values.length),
        used: 0,
        bits: 0,
        dictionary: new Map<string, number>(),
        indices: new Uint32Array(spec.constant === undefined && isText(spec.kind) ? rowGroupRows : 0),
        count: 0,
      };
    });
    this.fd = openSync(path, 'w');
    this.write(Buffer.from('PAR1', 'latin1'));
  }

  /** Sets int64 column `index` of the current row (a safe integer). */
  setInteger(index: number, value: number): void {
    const column = this.columns[index] as ColumnBuffer;
    const at = column.used;
    if (value >= 0) {
      // Division and floor, not %: a double's remainder is a call into C.
      const high = Math.floor(value / TWO_TO_32);
      column.view.setUint32(at, value - high * TWO_TO_32, true);
      column.view.setUint32(at + 4, high, true);
    } else {
      column.values.writeBigInt64LE(BigInt(value), at);
    }
    column.used = at + 8;
    column.present[this.rows] = 1;
    column.set++;
  }

  setBoolean(index: number, value: boolean): void {
    const column = this.columns[index] as ColumnBuffer;
    if (value) column.values[column.bits >> 3] = (column.values[column.bits >> 3] as number) | (1 << (column.bits & 7));
    column.bits++;
    column.present[this.rows] = 1;
    column.set++;
  }

  setText(index: number, value: string): void {
    const column = this.columns[index] as ColumnBuffer;
    let id = column.dictionary.get(value);
    if (id === undefined) {
      id = column.dictionary.size;
      column.dictionary.set(value, id);
      const at = column.used;
      // UTF-8 needs at most 3 bytes per UTF-16 unit.
      if (at + 4 + value.length * 3 > column.values.length) {
        const grown = Buffer.allocUnsafe(Math.max(column.values.length * 2, at + 4 + value.length * 3));
        column.values.copy(grown, 0, 0, at);
        column.values = grown;
      }
      const length = column.values.write(value, at + 4, 'utf8');
      column.values.writeUInt32LE(length, at);
      column.used = at + 4 + length;
    }
    column.indices[column.count++] = id;
    column.present[this.rows] = 1;
    column.set++;
  }

  /** Ends the current row; columns not set in it are null. */
  endRow(): void {
    this.rows++;
    if (this.rows === this.rowGroupRows) this.flushRowGroup();
  }

  /** Writes the last row group and the footer, with `metadata` as the file's key-value metadata. */
  close(metadata: Record<string, string>): void {
    if (this.closed) return;
    this.flushRowGroup();
    const footer = new ThriftWriter()
      .struct([
        [1, { i32: 1 }],
        [
          2,
          {
            list: 'struct',
            items: [
              [
                [4, { binary: 'schema' }],
                [5, { i32: this.columns.length }],
              ],
              ...this.columns.map(({ spec }) => schemaElement(spec)),
            ],
          },
        ],
        [3, { i64: this.totalRows }],
        [4, { list: 'struct', items: this.rowGroups }],
        [
          5,
          {
            list: 'struct',
            items: Object.entries(metadata).map(
              ([key, value]): ThriftStruct => [
                [1, { binary: key }],
                [2, { binary: value }],
              ],
            ),
          },
        ],
        [6, { binary: 'missionbench' }],
      ])
      .toBuffer();
    const tail = Buffer.alloc(8);
    tail.writeUInt32LE(footer.length, 0);
    tail.write('PAR1', 4, 'latin1');
    this.write(footer);
    this.write(tail);
    closeSync(this.fd);
    this.closed = true;
    this.digest = this.hasher.digest('hex');
  }

  /** SHA-256 (hex) of the file as closed; undefined before close and for a discarded file. */
  get sha256(): string | undefined {
    return this.digest;
  }

  /** Closes and removes the file (a run that cannot describe its events as columns leaves none). */
  discard(): void {
    if (!this.closed) closeSync(this.fd);
    this.closed = true;
    rmSync(this.path, { force: true });
  }

  private flushRowGroup(): void {
    const rows = this.rows;
    if (rows === 0) return;
    const chunks: ThriftStruct[] = [];
    let groupBytes = 0;
    for (const column of this.columns) {
      const start = this.offset;
      let dictionaryOffset: number | undefined;
      if (column.spec.constant !== undefined) {
        dictionaryOffset = start;
        this.writePage(PAGE_DICTIONARY, 1, this.encodeDictionary(column.spec.constant));
      }
      const text = column.spec.constant === undefined && isText(column.spec.kind) && column.count > 0;
      if (text) {
        dictionaryOffset = start;
        this.writePage(PAGE_DICTIONARY, column.dictionary.size, column.values.subarray(0, column.used));
      }
      const dataOffset = this.offset;
      if (column.spec.constant !== undefined) this.writePage(PAGE_DATA, rows, this.encodeConstant(rows), ENCODING_RLE_DICTIONARY);
      else if (text) this.writePage(PAGE_DATA, rows, this.encodeLevels(column, rows), ENCODING_RLE_DICTIONARY, this.encodeIndices(column));
      else this.writePage(PAGE_DATA, rows, this.encodeLevels(column, rows), ENCODING_PLAIN, this.plainValues(column));
      const size = this.offset - start;
      groupBytes += size;
      const encodings = dictionaryOffset !== undefined ? [ENCODING_PLAIN, ENCODING_RLE, ENCODING_RLE_DICTIONARY] : [ENCODING_PLAIN, ENCODING_RLE];
      const meta: ThriftStruct = [
        [1, { i32: TYPE[column.spec.kind] }],
        [2, { list: 'i32', items: encodings }],
        [3, { list: 'binary', items: [column.spec.name] }],
        [4, { i32: CODEC_UNCOMPRESSED }],
        [5, { i64: rows }],
        [6, { i64: size }],
        [7, { i64: size }],
        [9, { i64: dataOffset }],
      ];
      if (dictionaryOffset !== undefined) meta.push([11, { i64: dictionaryOffset }]);
      chunks.push([
        [2, { i64: start }],
        [3, { struct: meta }],
      ]);
      if (column.set > 0) column.present.fill(0);
      column.set = 0;
      if (column.spec.kind === 'bool') column.values.fill(0);
      column.used = 0;
      column.bits = 0;
      column.dictionary.clear();
      column.count = 0;
    }
    this.rowGroups.push([
      [1, { list: 'struct', items: chunks }],
      [2, { i64: groupBytes }],
      [3, { i64: rows }],
    ]);
    this.totalRows += rows;
    this.rows = 0;
  }

  /** A page header, then its body (in one or two pieces); `values` counts a data page's rows or a dictionary's entries. */
  private writePage(type: number, values: number, body: Buffer, encoding = ENCODING_PLAIN, rest?: Buffer): void {
    const size = body.length + (rest?.length ?? 0);
    const header: ThriftStruct = [
      [1, { i32: type }],
      [2, { i32: size }],
      [3, { i32: size }],
    ];
    if (type === PAGE_DATA) {
      header.push([
        5,
        {
          struct: [
            [1, { i32: values }],
            [2, { i32: encoding }],
            [3, { i32: ENCODING_RLE }],
            [4, { i32: ENCODING_RLE }],
          ],
        },
      ]);
    } else {
      header.push([
        7,
        {
          struct: [
            [1, { i32: values }],
            [2, { i32: ENCODING_PLAIN }],
          ],
        },
      ]);
    }
    this.write(new ThriftWriter().struct(header).toBuffer());
    this.write(body);
    if (rest !== undefined) this.write(rest);
  }

  /** A dictionary of one value: its PLAIN encoding (length, then bytes). */
  private encodeDictionary(value: string): Buffer {
    const bytes = Buffer.from(value, 'utf8');
    const body = Buffer.allocUnsafe(4 + bytes.length);
    body.writeUInt32LE(bytes.length, 0);
    bytes.copy(body, 4);
    return body;
  }

  /** Every row present and pointing at dictionary entry 0: two RLE runs. */
  private encodeConstant(rows: number): Buffer {
    const run = varint(rows * 2);
    // Definition levels (length-prefixed, bit width 1): one run of `rows` ones.
    const levels = Buffer.concat([run, Buffer.from([1])]);
    const prefix = Buffer.allocUnsafe(4);
    prefix.writeUInt32LE(levels.length, 0);
    // Then the indices: bit width 1, one run of `rows` zeros.
    return Buffer.concat([prefix, levels, Buffer.from([1]), run, Buffer.from([0])]);
  }

  /** The definition levels of a data page: bit-packed, length-prefixed. */
  private encodeLevels(column: ColumnBuffer, rows: number): Buffer {
    const groups = Math.ceil(rows / 8);
    const header = varint(groups * 2 + 1);
    const levelBytes = header.length + groups;
    this.ensure(4 + levelBytes);
    const page = this.page;
    page.writeUInt32LE(levelBytes, 0);
    header.copy(page, 4);
    const present = column.present;
    let at = 4 + header.length;
    if (column.set === 0 || column.set === rows) {
      // No row has a value, or every row has one: the same bytes as the loop below gives, without it.
      page.fill(column.set === 0 ? 0 : 0xff, at, at + groups);
      if (column.set > 0 && rows % 8 !== 0) page[at + groups - 1] = (1 << (rows % 8)) - 1;
      return this.page.subarray(0, at + groups);
    }
    for (let group = 0; group < groups; group++) {
      let byte = 0;
      const base = group * 8;
      for (let bit = 0; bit < 8 && base + bit < rows; bit++) byte |= (present[base + bit] as number) << bit;
      page[at++] = byte;
    }
    return this.page.subarray(0, at);
  }

  /** The present values, already PLAIN-encoded as they arrived. */
  private plainValues(column: ColumnBuffer): Buffer {
    return column.values.subarray(0, column.spec.kind === 'bool' ? Math.ceil(column.bits / 8) : column.used);
  }

  /**
   * A dictionary-encoded page's values: the index bit width, then one
   * bit-packed run of every present row's index (LSB first, 8 per group).
   */
  private encodeIndices(column: ColumnBuffer): Buffer {
    let width = 1;
    while (2 ** width < column.dictionary.size) width++;
    const groups = Math.ceil(column.count / 8);
    const header = varint(groups * 2 + 1);
    const bytes = 1 + header.length + groups * width;
    if (bytes > this.indexPage.length) this.indexPage = Buffer.allocUnsafe(Math.max(bytes, this.indexPage.length * 2));
    const out = this.indexPage;
    out[0] = width;
    header.copy(out, 1);
    let at = 1 + header.length;
    let pending = 0;
    let bits = 0;
    const indices = column.indices;
    for (let i = 0; i < groups * 8; i++) {
      // width <= 17 (a row group has at most 2^17 rows) and bits < 8, so this stays within 32 bits.
      pending |= (i < column.count ? (indices[i] as number) : 0) << bits;
      bits += width;
      while (bits >= 8) {
        out[at++] = pending & 0xff;
        pending >>>= 8;
        bits -= 8;
      }
    }
    return out.subarray(0, at);
  }

  /** Makes the page buffer (definition levels only) at least `bytes` long. */
  private ensure(bytes: number): void {
    if (bytes > this.page.length) this.page = Buffer.allocUnsafe(Math.max(bytes, this.page.length * 2));
  }

  private write(bytes: Buffer): void {
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written);
    this.hasher.update(bytes);
    this.offset += bytes.length;
  }
}

function isText(kind: ColumnKind): boolean {
  return kind === 'string' || kind === 'json';
}

function schemaElement(spec: ColumnSpec): ThriftStruct {
  const element: ThriftStruct = [
    [1, { i32: TYPE[spec.kind] }],
    [3, { i32: OPTIONAL }],
    [4, { binary: spec.name }],
  ];
  if (spec.kind === 'string') element.push([6, { i32: CONVERTED_UTF8 }]);
  if (spec.kind === 'json') element.push([6, { i32: CONVERTED_JSON }]);
  return element;
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  pushVarint(bytes, value);
  return Buffer.from(bytes);
}
