/**
 * Syntax of distribution expressions, kept apart from their meaning
 * (distribution.ts) so that each half stays small.
 *
 *   expression := call | literal          (a bare literal means const(literal))
 *   call       := name '(' [argument (',' argument)*] ')'
 *   argument   := literal [':' literal]   (value, optionally with a weight)
 *   name       := (letter | '_') (letter | digit | '_')*
 *   literal    := a run of characters other than whitespace and ( ) , :
 *                 that does not start with a letter or '_'
 *
 * Whitespace (space, tab, CR, LF) may separate tokens. Literals are loose on
 * purpose: whether `30s` or `2.5` is acceptable depends on the argument's
 * position and on the kind of distribution, so the caller interprets each
 * literal with durationLiteral or numberLiteral and, on failure, quotes the
 * whole literal at its column (`found "30x"` rather than `found "x"`).
 *
 * Columns are 1-based UTF-16 positions in the original text.
 */
import { durationLiteral, ExpressionError } from './duration.ts';

export type TokenType = 'name' | 'literal' | '(' | ')' | ',' | ':' | 'end';

export interface Token {
  readonly type: TokenType;
  readonly text: string; // '' for 'end'
  readonly column: number;
}

export interface Argument {
  readonly value: Token;
  readonly colon?: Token;
  readonly weight?: Token;
}

export interface Call {
  readonly family: string;
  readonly args: readonly Argument[];
  /** The closing ')' (for a bare literal, the literal itself): where "too few arguments" points. */
  readonly close: Token;
}

/** What to call things in error messages; they depend on the kind being parsed. */
export interface SyntaxHints {
  readonly families: readonly string[];
  /** e.g. 'a distribution such as exp(2m), uniform(1s, 5s) or 30s' */
  readonly expression: string;
  /** e.g. 'a value such as 30s' */
  readonly value: string;
}

const PUNCTUATION = '(),:';
const isSpace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
const isNameStart = (ch: string): boolean => (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_';
const isNamePart = (ch: string): boolean => isNameStart(ch) || (ch >= '0' && ch <= '9');
const isLiteralPart = (ch: string): boolean => ch !== '' && !isSpace(ch) && !PUNCTUATION.includes(ch);

/** Produces tokens on demand, with one token of lookahead. */
class Lexer {
  private pos = 0;
  private lookahead: Token | undefined;

  constructor(private readonly text: string) {}

  peek(): Token {
    return (this.lookahead ??= this.scan());
  }

  next(): Token {
    const token = this.peek();
    this.lookahead = undefined;
    return token;
  }

  private scan(): Token {
    const { text } = this;
    while (isSpace(text.charAt(this.pos))) this.pos++;
    const start = this.pos;
    const column = start + 1;
    const ch = text.charAt(start);
    if (ch === '') return { type: 'end', text: '', column };
    if (PUNCTUATION.includes(ch)) {
      this.pos++;
      return { type: ch as TokenType, text: ch, column };
    }
    const type = isNameStart(ch) ? 'name' : 'literal';
    const continues = type === 'name' ? isNamePart : isLiteralPart;
    this.pos++;
    while (this.pos < text.length && continues(text.charAt(this.pos))) this.pos++;
    return { type, text: text.slice(start, this.pos), column };
  }
}

const unexpected = (expected: string, token: Token): ExpressionError => new ExpressionError(expected, token.text, token.column);

/** Parses the whole text into a call, or throws ExpressionError at the first problem. */
export function parseCall(text: string, hints: SyntaxHints): Call {
  const lexer = new Lexer(text);
  const first = lexer.next();
  let call: Call;
  if (first.type === 'literal') {
    call = { family: 'const', args: [{ value: first }], close: first };
  } else if (first.type === 'name') {
    call = parseArguments(lexer, first, hints);
  } else {
    throw unexpected(hints.expression, first);
  }
  const end = lexer.next();
  if (end.type !== 'end') throw unexpected('end of input', end);
  return call;
}

function parseArguments(lexer: Lexer, name: Token, hints: SyntaxHints): Call {
  // Checked before the arguments so that errors come out left to right.
  if (!hints.families.includes(name.text)) {
    throw unexpected(`one of ${hints.families.join(', ')}`, name);
  }
  const open = lexer.next();
  if (open.type !== '(') throw unexpected(`'(' after ${name.text}`, open);

  const args: Argument[] = [];
  if (lexer.peek().type === ')') return { family: name.text, args, close: lexer.next() };
  for (;;) {
    args.push(parseArgument(lexer, hints));
    const separator = lexer.next();
    if (separator.type === ')') return { family: name.text, args, close: separator };
    if (separator.type !== ',') throw unexpected("',' or ')'", separator);
  }
}

function parseArgument(lexer: Lexer, hints: SyntaxHints): Argument {
  const value = lexer.next();
  if (value.type !== 'literal') throw unexpected(hints.value, value);
  if (lexer.peek().type !== ':') return { value };
  const colon = lexer.next();
  const weight = lexer.next();
  if (weight.type !== 'literal') throw unexpected('a weight such as 2', weight);
  return { value, colon, weight };
}

/**
 * A plain number: ['+' | '-'] digits ['.' digits] [('e' | 'E') ['+' | '-'] digits].
 * No NaN, no Infinity, and no unit: `0.5s` where a plain number belongs gets
 * its own message because forgetting which arguments take units is the
 * likeliest mistake.
 */
export function numberLiteral(token: Token): number {
  const { text } = token;
  let pos = 0;
  const digits = (): boolean => {
    const start = pos;
    while (text.charAt(pos) >= '0' && text.charAt(pos) <= '9') pos++;
    return pos > start;
  };
  const sign = (): void => {
    if (text.charAt(pos) === '+' || text.charAt(pos) === '-') pos++;
  };

  sign();
  let ok = digits();
  if (ok && text.charAt(pos) === '.') {
    pos++;
    ok = digits();
  }
  if (ok && (text.charAt(pos) === 'e' || text.charAt(pos) === 'E')) {
    pos++;
    sign();
    ok = digits();
  }
  if (!ok || pos !== text.length) {
    const expected = looksLikeDuration(text) ? 'a plain number without a unit' : 'a number such as 2.5';
    throw unexpected(expected, token);
  }
  const value = Number(text);
  if (!Number.isFinite(value)) throw unexpected('a finite number', token);
  return value;
}

function looksLikeDuration(text: string): boolean {
  try {
    durationLiteral(text.startsWith('-') || text.startsWith('+') ? text.slice(1) : text, 1);
    return true;
  } catch {
    return false;
  }
}
