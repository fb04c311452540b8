import { describe, expect, it } from "vitest";
import { MAX_LISTED, cappedWarnings, listed, note, shortened } from "../../src/runtime/bounds.js";

describe("shortened", () => {
  it("keeps a text of at most 256 characters whole", () => {
    expect(shortened("a".repeat(256))).toBe("a".repeat(256));
  });

  it("keeps the beginning and the end of a longer one, 256 characters in all", () => {
    const text = `${"a".repeat(200)}${"b".repeat(200)}`;
    expect(shortened(text)).toBe(`${"a".repeat(127)}...${"b".repeat(126)}`);
  });

  it("never cuts a surrogate pair in two", () => {
    const text = "😀".repeat(300);
    const short = shortened(text);
    expect(short.length).toBeLessThanOrEqual(256);
    expect(() => encodeURIComponent(short)).not.toThrow();
  });
});

describe("note", () => {
  it("lists the first items and only counts the rest, without making them", () => {
    const list = listed<number>();
    let made = 0;
    for (let i = 0; i < MAX_LISTED + 5; i++) note(list, () => (made++, i));
    expect([list.items.length, list.omitted, made]).toEqual([MAX_LISTED, 5, MAX_LISTED]);
  });
});

describe("cappedWarnings: kube-apiserver's warning recorder", () => {
  it("keeps each text once, all in full while they fit in 4 KiB", () => {
    expect(cappedWarnings(["a", "b", "a", "", "c"])).toEqual(["a", "b", "c"]);
    const fits = Array.from({ length: 4 }, (_, i) => `${i}`.repeat(1024));
    expect(cappedWarnings(fits)).toEqual(fits);
  });

  it("past 4 KiB, cuts every text to 256 characters, earlier ones too, and stops once the total is reached", () => {
    const texts = Array.from({ length: 100 }, (_, i) => `${String(i).padStart(3, "0")}${"x".repeat(997)}`);
    const kept = cappedWarnings(texts);
    expect(kept.every((text) => text.length === 256)).toBe(true);
    // 16 texts of 256 characters reach 4096; the one that reaches it is kept.
    expect(kept.map((text) => text.slice(0, 3))).toEqual(texts.slice(0, 16).map((text) => text.slice(0, 3)));
  });

  it("counts characters, not UTF-16 units, as the apiserver counts runes", () => {
    const kept = cappedWarnings(["😀".repeat(5000)]);
    expect([...kept[0]!].length).toBe(256);
  });
});
