/** Apply `fn` to a value that may be a promise; stays synchronous when the input is. @internal */
export function thenMaybe<T, U>(value: T | Promise<T>, fn: (v: T) => U): U | Promise<U> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}
