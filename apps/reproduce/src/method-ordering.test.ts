import { describe, expect, it } from "vitest";
import { discordantPairs, formatRanking, orderingSummary, rankMethods } from "./method-ordering.js";

describe("discordantPairs", () => {
  it("is empty when our order equals the paper's", () => {
    expect(discordantPairs({ a: 1, b: 2, c: 30 }, { a: 0.1, b: 0.5, c: 0.9 })).toEqual([]);
  });

  it("names each swapped pair with the paper's better method first", () => {
    expect(discordantPairs({ a: 3, b: 2, c: 1 }, { a: 1, b: 2, c: 3 })).toEqual([
      { first: "a", second: "b", tie: false },
      { first: "a", second: "c", tie: false },
      { first: "b", second: "c", tie: false },
    ]);
  });

  it("skips pairs the paper ties and counts our exact ties as discordant", () => {
    expect(discordantPairs({ a: 5, b: 1, c: 1 }, { a: 93.3, b: 93.3, c: 90 })).toEqual([{ first: "c", second: "b", tie: true }]);
  });

  it("skips methods missing on either side", () => {
    expect(discordantPairs({ a: 2, b: 1 }, { a: 1, b: 2, c: 0 })).toEqual([{ first: "a", second: "b", tie: false }]);
  });
});

describe("orderingSummary", () => {
  it("says whether the order agrees, agrees up to ties, or is reversed", () => {
    expect(orderingSummary([])).toBe("agrees");
    expect(orderingSummary([{ first: "a", second: "b", tie: true }])).toBe("agrees up to 1 tie");
    expect(
      orderingSummary([
        { first: "a", second: "b", tie: false },
        { first: "a", second: "c", tie: false },
        { first: "b", second: "c", tie: true },
      ]),
    ).toBe("2 pairs reversed, 1 tie");
  });
});

describe("rankMethods", () => {
  it("sorts lowest first", () => {
    expect(rankMethods({ x: 3, y: 1, z: 2 })).toEqual(["y", "z", "x"]);
  });
});

describe("formatRanking", () => {
  it("joins strict steps with < and exact ties with =", () => {
    expect(formatRanking({ G: 25, "SH+SG": 0, SG: 0, Random: 100 })).toBe("SH+SG = SG < G < Random");
    expect(formatRanking({ a: 1 })).toBe("a");
  });
});

