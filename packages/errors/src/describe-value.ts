/** A description already written in words; see `described()`. */
export class Description {
  constructor(readonly text: string) {}
}

/**
 * A short, human-readable description of any value for use in error messages: numbers and short strings
 * as they are, arrays and typed arrays by their type and length, objects by their constructor name.
 */
export function describeValue(value: unknown): string {
  if (value instanceof Description) return value.text;
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  if (typeof value === "string") return value.length > 40 ? `a string of length ${value.length}` : JSON.stringify(value);
  if (typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (typeof value === "function") return "a function";
  if (ArrayBuffer.isView(value) && "length" in value) {
    return `${value.constructor.name} of length ${(value as unknown as ArrayLike<unknown>).length}`;
  }
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  const name = (value as object).constructor?.name;
  return name && name !== "Object" ? `a ${name}` : "an object";
}
