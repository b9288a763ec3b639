import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pushVarint, ThriftWriter } from '../../../../sim/log/parquet/thrift-compact.ts';

/** Reads an unsigned LEB128 varint (the inverse of pushVarint) by arithmetic, so values past 2^32 stay exact. */
function readVarint(bytes: readonly number[], at = 0): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  let i = at;
  for (;;) {
    const byte = bytes[i++] as number;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return { value, next: i };
    scale *= 0x80;
  }
}

describe('thrift compact protocol', () => {
  it('varints: known encodings, and any safe integer round-trips', () => {
    const encode = (value: number) => {
      const bytes: number[] = [];
      pushVarint(bytes, value);
      return bytes;
    };
    expect(encode(0)).toEqual([0]);
    expect(encode(127)).toEqual([0x7f]);
    expect(encode(128)).toEqual([0x80, 0x01]);
    expect(encode(300)).toEqual([0xac, 0x02]);
    fc.assert(
      fc.property(
        fc.maxSafeInteger().filter((v) => v >= 0),
        (value) => {
          expect(readVarint(encode(value)).value).toBe(value);
        },
      ),
    );
  });

  it('fields: short deltas in the header byte, long ones after it, zigzag integers, a stop byte', () => {
    const bytes = [
      ...new ThriftWriter()
        .struct([
          [1, { i32: -1 }],
          [2, { binary: 'é' }],
          [20, { i64: 3 }],
          [21, { bool: true }],
        ])
        .toBuffer(),
    ];
    expect(bytes).toEqual([
      0x15,
      0x01, // field 1 (delta 1), i32, zigzag(-1) = 1
      0x18,
      0x02,
      0xc3,
      0xa9, // field 2, binary: length 2, UTF-8 bytes of é
      0x06,
      0x28,
      0x06, // field 20: delta 18 > 15, so type byte then zigzag(20) = 40; zigzag(3) = 6
      0x11, // field 21 (delta 1), boolean true lives in the type nibble
      0x00, // stop
    ]);
  });

  it('lists: short sizes in the header nibble, 15 and more after it', () => {
    const short = [...new ThriftWriter().struct([[1, { list: 'i32', items: [1, 2] }]]).toBuffer()];
    expect(short).toEqual([0x19, 0x25, 0x02, 0x04, 0x00]);
    const items = Array.from({ length: 15 }, () => 0);
    const long = [...new ThriftWriter().struct([[1, { list: 'i32', items }]]).toBuffer()];
    expect(long.slice(0, 3)).toEqual([0x19, 0xf5, 15]);
    expect(long).toHaveLength(3 + 15 + 1);
  });

  it('refuses integers it cannot encode exactly', () => {
    expect(() => new ThriftWriter().struct([[1, { i64: 2 ** 60 }]])).toThrow(/out of range/);
  });
});
