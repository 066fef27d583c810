import { DatasetFormatError } from "./dataset-file-error.js";

/** What a {@link JsonScanner} reports while it reads a document; `depth` counts the open containers. */
export interface JsonEvents {
  /** An object or array opened; `depth` includes it. */
  open(kind: "object" | "array", depth: number): void;
  /** An object or array closed; `depth` is the depth it had. */
  close(kind: "object" | "array", depth: number): void;
  /** An object key, at the depth of its object. */
  key(name: string, depth: number): void;
  /** A number value inside a container of depth `depth` (0 at top level). */
  number(value: number, depth: number): void;
  /** A string, `true`, `false` or `null` value. */
  scalar(kind: "string" | "true" | "false" | "null", depth: number): void;
}

const enum Expect {
  Value, // a value (after "[", ":" or "," in an array, or at top level)
  ValueOrClose, // right after "[": a value or "]"
  KeyOrClose, // right after "{": a key or "}"
  Key, // after "," in an object
  Colon,
  CommaOrClose,
  End, // after the top-level value
}

const enum Token {
  None,
  Number,
  String,
  Literal,
}

/** Largest count of significant digits for which `mantissa / 10^k` is exact before the final rounding. */
const EXACT_DIGITS = 15;
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k); // exact doubles up to 1e22
/** Longest number token accepted (JSON allows more; no data file of ours comes close). */
const MAX_NUMBER_LENGTH = 256;

/**
 * A streaming JSON scanner for large numeric documents (arrays of numbers, objects with simple keys): it
 * reads bytes chunk by chunk and reports numbers as they end, without building strings or arrays, so a
 * 16 MB file of pixel values costs no more memory than one chunk. The grammar is checked as in
 * `JSON.parse` (commas, colons, nesting, number syntax, a single top-level value); errors name the file and
 * the byte offset.
 *
 * Numbers: with at most 15 significant digits and no exponent the value is `mantissa / 10^k` in float64,
 * which is the correctly rounded value `JSON.parse` gives; any other number is converted by `Number()`.
 */
export class JsonScanner {
  private readonly stack: ("object" | "array")[] = [];
  private expect: Expect = Expect.Value;
  private offset = 0;
  // token in progress (it may span chunks)
  private token: Token = Token.None;
  private text: number[] = []; // literal and key characters
  private readonly numberText = new Uint8Array(MAX_NUMBER_LENGTH);
  private numberLength = 0;
  private mantissa = 0;
  private digits = 0;
  private fraction = 0;
  private inFraction = false;
  private simple = true;
  private numberState = 0; // 0 sign, 1 first digit, 2 int digits, 3 after 0, 4 after ".", 5 frac digits, 6 after e, 7 after e sign, 8 exp digits
  private negative = false;
  private escaped = false;
  private inKey = false;

  constructor(
    private readonly file: string,
    private readonly events: JsonEvents,
  ) {}

  /** Scan the next chunk of the document. */
  write(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; i++, this.offset++) {
      const c = chunk[i];
      if (
        this.token === Token.None &&
        ((c >= 0x30 && c <= 0x39) || c === 0x2d) &&
        (this.expect === Expect.Value || this.expect === Expect.ValueOrClose)
      ) {
        const end = this.fastNumber(chunk, i);
        if (end > i) {
          this.offset += end - 1 - i;
          i = end - 1;
          continue;
        }
      }
      if (this.token === Token.Number) {
        if (this.numberChar(c)) continue;
        this.endNumber();
      } else if (this.token === Token.String) {
        this.stringChar(c);
        continue;
      } else if (this.token === Token.Literal) {
        if (c >= 0x61 && c <= 0x7a) {
          this.text.push(c);
          continue;
        }
        this.endLiteral();
      }
      this.structural(c);
    }
  }

  /** The document is complete: check that nothing is left open. */
  end(): void {
    if (this.token === Token.Number) this.endNumber();
    else if (this.token === Token.Literal) this.endLiteral();
    else if (this.token === Token.String) this.fail("ends inside a string");
    if (this.expect !== Expect.End) {
      this.fail(this.stack.length > 0 ? `ends with ${this.stack.length} unclosed array(s)/object(s)` : "is empty");
    }
  }

  private structural(c: number): void {
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) return;
    const depth = this.stack.length;
    switch (this.expect) {
      case Expect.Colon:
        if (c !== 0x3a) this.unexpected(c, '":"');
        this.expect = Expect.Value;
        return;
      case Expect.CommaOrClose:
        if (c === 0x2c) {
          this.expect = this.stack[depth - 1] === "object" ? Expect.Key : Expect.Value;
          return;
        }
        if ((c === 0x5d && this.stack[depth - 1] === "array") || (c === 0x7d && this.stack[depth - 1] === "object")) {
          this.close();
          return;
        }
        this.unexpected(c, this.stack[depth - 1] === "array" ? '"," or "]"' : '"," or "}"');
        return;
      case Expect.End:
        this.unexpected(c, "the end of the document");
        return;
      case Expect.KeyOrClose:
      case Expect.Key:
        if (c === 0x7d && this.expect === Expect.KeyOrClose) {
          this.close();
          return;
        }
        if (c !== 0x22) this.unexpected(c, "a key string");
        this.startString(true);
        return;
      default: // Value, ValueOrClose
        if (c === 0x5d && this.expect === Expect.ValueOrClose) {
          this.close();
          return;
        }
        if (c === 0x5b || c === 0x7b) {
          const kind = c === 0x5b ? "array" : "object";
          this.stack.push(kind);
          this.expect = kind === "array" ? Expect.ValueOrClose : Expect.KeyOrClose;
          this.events.open(kind, this.stack.length);
          return;
        }
        if (c === 0x22) return this.startString(false);
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.startNumber(c);
        if (c >= 0x61 && c <= 0x7a) {
          this.token = Token.Literal;
          this.text = [c];
          return;
        }
        this.unexpected(c, "a value");
    }
  }

  private close(): void {
    const kind = this.stack.pop()!;
    this.events.close(kind, this.stack.length + 1);
    this.valueDone();
  }

  private valueDone(): void {
    this.expect = this.stack.length === 0 ? Expect.End : Expect.CommaOrClose;
  }

  /**
   * Fast path for the common number: `-?(0|[1-9]d*)(.d+)?` with at most 15 significant digits, ending inside
   * this chunk. Emits it and returns the index after it, or returns `start` to let the general path handle
   * anything else (exponents, long mantissas, numbers cut by the chunk end, malformed numbers).
   */
  private fastNumber(chunk: Uint8Array, start: number): number {
    let i = start;
    let negative = false;
    if (chunk[i] === 0x2d) {
      negative = true;
      i++;
    }
    const first = i;
    let mantissa = 0;
    let digits = 0;
    let c = chunk[i];
    while (i < chunk.length && c >= 0x30 && c <= 0x39) {
      mantissa = mantissa * 10 + (c - 0x30);
      if (mantissa !== 0) digits++;
      c = chunk[++i];
    }
    if (i === first || (chunk[first] === 0x30 && i - first > 1)) return start; // no digits, or a leading zero
    let fraction = 0;
    if (c === 0x2e) {
      c = chunk[++i];
      const firstFraction = i;
      while (i < chunk.length && c >= 0x30 && c <= 0x39) {
        mantissa = mantissa * 10 + (c - 0x30);
        if (mantissa !== 0) digits++;
        fraction++;
        c = chunk[++i];
      }
      if (i === firstFraction) return start;
    }
    if (i >= chunk.length || c === 0x65 || c === 0x45 || digits > EXACT_DIGITS || fraction >= POW10.length) return start;
    const value = fraction === 0 ? mantissa : mantissa / POW10[fraction];
    this.events.number(negative ? -value : value, this.stack.length);
    this.valueDone();
    return i;
  }

  private startNumber(c: number): void {
    this.token = Token.Number;
    this.numberLength = 0;
    this.mantissa = 0;
    this.digits = 0;
    this.fraction = 0;
    this.inFraction = false;
    this.simple = true;
    this.negative = false;
    this.numberState = 0;
    this.numberChar(c);
  }

  /** Feed one character to the number in progress; false when it does not belong to the number. */
  private numberChar(c: number): boolean {
    const digit = c >= 0x30 && c <= 0x39;
    switch (this.numberState) {
      case 0: // optional sign
        this.pushNumber(c);
        if (c === 0x2d) {
          this.negative = true;
          this.numberState = 1;
          return true;
        }
        this.numberState = 1;
        this.numberLength--;
        return this.numberChar(c);
      case 1: // first digit
        if (!digit) this.fail(`has a malformed number at byte ${this.offset}`);
        this.addDigit(c);
        this.numberState = c === 0x30 ? 3 : 2;
        return true;
      case 2: // integer digits
      case 3: // after a leading 0
        if (digit) {
          if (this.numberState === 3) this.fail(`has a number with a leading zero at byte ${this.offset}`);
          this.addDigit(c);
          return true;
        }
        if (c === 0x2e) {
          this.pushNumber(c);
          this.inFraction = true;
          this.numberState = 4;
          return true;
        }
        return this.exponentStart(c);
      case 4: // first fraction digit
        if (!digit) this.fail(`has a malformed number at byte ${this.offset}`);
        this.addDigit(c);
        this.numberState = 5;
        return true;
      case 5: // fraction digits
        if (digit) {
          this.addDigit(c);
          return true;
        }
        return this.exponentStart(c);
      case 6: // after e: sign or digit
        this.pushNumber(c);
        if (c === 0x2b || c === 0x2d) {
          this.numberState = 7;
          return true;
        }
        if (!digit) this.fail(`has a malformed number at byte ${this.offset}`);
        this.numberState = 8;
        return true;
      case 7: // first exponent digit
        if (!digit) this.fail(`has a malformed number at byte ${this.offset}`);
        this.pushNumber(c);
        this.numberState = 8;
        return true;
      default: // exponent digits
        if (!digit) return false;
        this.pushNumber(c);
        return true;
    }
  }

  private exponentStart(c: number): boolean {
    if (c !== 0x65 && c !== 0x45) return false;
    this.pushNumber(c);
    this.simple = false;
    this.numberState = 6;
    return true;
  }

  private addDigit(c: number): void {
    this.pushNumber(c);
    const d = c - 0x30;
    if (this.inFraction) this.fraction++;
    if (this.mantissa === 0 && d === 0) return; // leading zeros are not significant
    if (++this.digits > EXACT_DIGITS) {
      this.simple = false;
      return;
    }
    this.mantissa = this.mantissa * 10 + d;
  }

  private pushNumber(c: number): void {
    if (this.numberLength === MAX_NUMBER_LENGTH) this.fail(`has a number longer than ${MAX_NUMBER_LENGTH} characters at byte ${this.offset}`);
    this.numberText[this.numberLength++] = c;
  }

  private endNumber(): void {
    if (this.numberState === 1 || this.numberState === 4 || this.numberState === 6 || this.numberState === 7) {
      this.fail(`has a malformed number at byte ${this.offset}`);
    }
    this.token = Token.None;
    let value: number;
    if (this.simple && this.fraction < POW10.length) {
      value = this.fraction === 0 ? this.mantissa : this.mantissa / POW10[this.fraction];
      if (this.negative) value = -value;
    } else {
      value = Number(String.fromCharCode(...this.numberText.subarray(0, this.numberLength)));
    }
    this.events.number(value, this.stack.length);
    this.valueDone();
  }

  private endLiteral(): void {
    this.token = Token.None;
    const word = String.fromCharCode(...this.text);
    if (word !== "true" && word !== "false" && word !== "null") this.fail(`has an unknown word "${word}" before byte ${this.offset}`);
    this.events.scalar(word, this.stack.length);
    this.valueDone();
  }

  private startString(isKey: boolean): void {
    this.token = Token.String;
    this.inKey = isKey;
    this.escaped = false;
    this.text = [0x22];
  }

  private stringChar(c: number): void {
    if (this.inKey) this.text.push(c);
    if (this.escaped) {
      this.escaped = false;
      return;
    }
    if (c === 0x5c) {
      this.escaped = true;
      return;
    }
    if (c !== 0x22) return;
    this.token = Token.None;
    if (this.inKey) {
      let name: string;
      try {
        name = JSON.parse(Buffer.from(this.text).toString("utf8")) as string;
      } catch {
        this.fail(`has a malformed key before byte ${this.offset}`);
      }
      this.events.key(name!, this.stack.length);
      this.expect = Expect.Colon;
      return;
    }
    this.events.scalar("string", this.stack.length);
    this.valueDone();
  }

  private unexpected(c: number, wanted: string): never {
    const shown = c >= 0x20 && c < 0x7f ? `"${String.fromCharCode(c)}"` : `byte 0x${c.toString(16).padStart(2, "0")}`;
    return this.fail(`is not valid JSON: ${shown} at byte ${this.offset}, expected ${wanted}`);
  }

  private fail(problem: string): never {
    throw new DatasetFormatError(this.file, problem);
  }
}
