/**
 * Whether `version` (plain `MAJOR.MINOR.PATCH`) satisfies an npm range made of `||`-separated comparator sets of
 * `^x.y.z`, `~x.y.z`, `>=`, `>`, `<=`, `<`, `=` or a bare version: enough for the ranges pnpm writes in place of
 * `workspace:` and for hand-written peer ranges such as `>=0.1.0 <1.0.0`. Anything else (tags, x-ranges,
 * pre-releases) returns `undefined`: the caller reports the range as one it cannot check.
 */
export function satisfies(version: string, range: string): boolean | undefined {
  const v = parse(version);
  if (!v) return undefined;
  let result = false;
  for (const set of range.split("||")) {
    const comparators = set.trim().split(/\s+/).filter(Boolean);
    if (comparators.length === 0) return undefined;
    let all = true;
    for (const comparator of comparators) {
      const m = /^(\^|~|>=|<=|>|<|=)?v?(\d+\.\d+\.\d+)$/.exec(comparator);
      const bound = m ? parse(m[2]!) : undefined;
      if (!m || !bound) return undefined;
      if (!holds(m[1] ?? "=", v, bound)) all = false;
    }
    if (all) result = true;
  }
  return result;
}

type Version = readonly [number, number, number];

function parse(text: string): Version | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function holds(operator: string, v: Version, bound: Version): boolean {
  const c = compare(v, bound);
  switch (operator) {
    case "=":
      return c === 0;
    case ">=":
      return c >= 0;
    case ">":
      return c > 0;
    case "<=":
      return c <= 0;
    case "<":
      return c < 0;
    case "~":
      return c >= 0 && v[0] === bound[0] && v[1] === bound[1];
    default: {
      // ^: same left-most non-zero component.
      if (c < 0) return false;
      if (bound[0] !== 0) return v[0] === bound[0];
      if (bound[1] !== 0) return v[0] === 0 && v[1] === bound[1];
      return v[0] === 0 && v[1] === 0 && v[2] === bound[2];
    }
  }
}
