const T_LENGTH = ',"t":'.length;
const ZERO = 0x30;
const NINE = 0x39;
const COLON = 0x3a;

/**
 * The start of an audit line up to its time's value, `{"seq":<seq>,"t":`, as
 * bytes, counted up in place from one line to the next. A line's seq is
 * always the one before plus one: adding one to the last digit (and
 * carrying) costs a store or two, where writing the number out divides it
 * by 100 once per two digits; and the three pieces (`{"seq":`, the digits,
 * `,"t":`) become one copy.
 */
export class LineStart {
  /** `{"seq":<seq>,"t":` in ASCII. */
  bytes: Buffer;

  constructor(seq: number) {
    this.bytes = spelled(seq);
  }

  /** The next line's start, for `seq` (this one's plus one): the last digit plus one, carried leftwards. */
  next(seq: number): void {
    const bytes = this.bytes;
    let at = bytes.length - T_LENGTH - 1;
    while (bytes[at] === NINE) bytes[at--] = ZERO;
    // Every digit was a nine (`at` is the colon before them): the number has one digit more.
    if (bytes[at] === COLON) this.bytes = spelled(seq);
    else bytes[at] = (bytes[at] as number) + 1;
  }
}

function spelled(seq: number): Buffer {
  return Buffer.from(`{"seq":${seq},"t":`, 'latin1');
}
