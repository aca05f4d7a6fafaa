import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DRAFT_KEY, DraftStore } from "./draft-store.js";

class MemoryStorage {
  data = new Map<string, string>();
  writes = 0;
  getItem(k: string): string | null {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.writes++;
    this.data.set(k, v);
  }
}

describe("DraftStore", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("round-trips a draft and coalesces a burst of saves into one write", () => {
    const storage = new MemoryStorage();
    const store = new DraftStore(storage, 100);
    for (let i = 0; i < 20; i++) store.save({ source: `fn main() {} // ${i}`, workers: 2, trace: false, link: "abc" });
    expect(storage.writes).toBe(0);
    vi.advanceTimersByTime(100);
    expect(storage.writes).toBe(1);
    expect(new DraftStore(storage).load()).toEqual({ source: "fn main() {} // 19", workers: 2, trace: false, link: "abc" });
  });

  it("keeps every file of a program of several, and drops a malformed file list", () => {
    const storage = new MemoryStorage();
    const files = [{ name: "main.kara", text: "import util.{f};" }, { name: "util.kara", text: "pub fn f() {}" }];
    const store = new DraftStore(storage, 100);
    store.save({ source: files[0].text, files, activeFile: 1 });
    store.flush();
    expect(new DraftStore(storage).load()).toEqual({ source: files[0].text, files, activeFile: 1 });
    storage.setItem(DRAFT_KEY, JSON.stringify({ source: "s", files: [{ name: "main.kara" }] }));
    expect(new DraftStore(storage).load()?.files).toBeUndefined();
  });

  it("flush writes at once", () => {
    const storage = new MemoryStorage();
    const store = new DraftStore(storage, 10_000);
    store.save({ source: "x" });
    store.flush();
    expect(storage.writes).toBe(1);
    expect(store.load()?.source).toBe("x");
  });

  it("ignores corrupt or foreign data and survives a storage that throws", () => {
    const storage = new MemoryStorage();
    storage.setItem(DRAFT_KEY, "{not json");
    expect(new DraftStore(storage).load()).toBeUndefined();
    storage.setItem(DRAFT_KEY, JSON.stringify({ source: 42 }));
    expect(new DraftStore(storage).load()).toBeUndefined();
    const throwing = {
      getItem: () => {
        throw new Error("blocked");
      },
      setItem: () => {
        throw new Error("quota");
      },
    };
    const store = new DraftStore(throwing, 0);
    expect(store.load()).toBeUndefined();
    store.save({ source: "y" });
    expect(() => store.flush()).not.toThrow();
    expect(new DraftStore(undefined).load()).toBeUndefined();
  });
});
