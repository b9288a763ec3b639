/**
 * Just enough of Thrift's compact protocol to write Parquet's page headers
 * and footer (https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md).
 * A struct is a list of fields in ascending id order; absent optional fields
 * are simply left out. Integers are JavaScript numbers (Parquet's sizes and
 * offsets stay far below 2^53).
 */
export type ThriftValue =
  | { i32: number }
  | { i64: number }
  | { binary: string }
  | { bool: boolean }
  | { struct: ThriftStruct }
  | { list: 'i32'; items: number[] }
  | { list: 'binary'; items: string[] }
  | { list: 'struct'; items: ThriftStruct[] };

export type ThriftStruct = Array<[id: number, value: ThriftValue]>;

const BOOL_TRUE = 1;
const BOOL_FALSE = 2;
const I32 = 5;
const I64 = 6;
const BINARY = 8;
const LIST = 9;
const STRUCT = 12;

/** Appends bytes to a growing array; used for headers and the footer only, never for column data. */
export class ThriftWriter {
  private readonly bytes: number[] = [];

  struct(fields: ThriftStruct): this {
    let last = 0;
    for (const [id, value] of fields) {
      const type = typeOf(value);
      const delta = id - last;
      if (delta > 0 && delta <= 15) this.bytes.push((delta << 4) | type);
      else {
        this.bytes.push(type);
        this.varint(zigzag(id));
      }
      last = id;
      this.value(value);
    }
    this.bytes.push(0);
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.from(this.bytes);
  }

  private value(value: ThriftValue): void {
    if ('i32' in value) this.varint(zigzag(value.i32));
    else if ('i64' in value) this.varint(zigzag(value.i64));
    else if ('binary' in value) this.binary(value.binary);
    else if ('bool' in value)
      return; // a field's boolean lives in its type nibble
    else if ('struct' in value) this.struct(value.struct);
    else {
      const elementType = value.list === 'i32' ? I32 : value.list === 'binary' ? BINARY : STRUCT;
      const size = value.items.length;
      if (size < 15) this.bytes.push((size << 4) | elementType);
      else {
        this.bytes.push(0xf0 | elementType);
        this.varint(size);
      }
      for (const item of value.items) {
        if (value.list === 'i32') this.varint(zigzag(item as number));
        else if (value.list === 'binary') this.binary(item as string);
        else this.struct(item as ThriftStruct);
      }
    }
  }

  private binary(text: string): void {
    const encoded = Buffer.from(text, 'utf8');
    this.varint(encoded.length);
    for (const byte of encoded) this.bytes.push(byte);
  }

  private varint(value: number): void {
    pushVarint(this.bytes, value);
  }
}

function typeOf(value: ThriftValue): number {
  if ('i32' in value) return I32;
  if ('i64' in value) return I64;
  if ('binary' in value) return BINARY;
  if ('bool' in value) return value.bool ? BOOL_TRUE : BOOL_FALSE;
  if ('struct' in value) return STRUCT;
  return LIST;
}

function zigzag(value: number): number {
  if (!Number.isSafeInteger(value)) throw new Error(`thrift integer out of range: ${value}`);
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

/**
 * Appends `value` as an unsigned LEB128 varint (Thrift's integers, and the
 * run headers of Parquet's RLE/bit-packed hybrid), by division so values
 * past 2^32 stay exact.
 */
export function pushVarint(bytes: number[], value: number): void {
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
}
