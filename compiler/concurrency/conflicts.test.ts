import { describe, expect, it } from "vitest";
import { atomsConflict } from "./conflicts.js";

const a = (verb: string, resource?: string, key?: string) => ({ verb, resource, ...(key !== undefined ? { key } : {}) });

describe("auto-par verb matrix", () => {
  it("lets reads share a resource and orders reads against writes", () => {
    expect(atomsConflict(a("reads", "R"), a("reads", "R"))).toBe(false);
    expect(atomsConflict(a("reads", "R"), a("writes", "R"))).toBe(true);
    expect(atomsConflict(a("writes", "R"), a("reads", "R"))).toBe(true);
    expect(atomsConflict(a("writes", "R"), a("writes", "R"))).toBe(true);
  });

  it("never orders effects on different resources", () => {
    expect(atomsConflict(a("writes", "R"), a("writes", "S"))).toBe(false);
    expect(atomsConflict(a("sends", "R"), a("sends", "S"))).toBe(false);
  });

  it("orders sends with sends and receives with receives, not sends with receives", () => {
    expect(atomsConflict(a("sends", "N"), a("sends", "N"))).toBe(true);
    expect(atomsConflict(a("receives", "N"), a("receives", "N"))).toBe(true);
    expect(atomsConflict(a("sends", "N"), a("receives", "N"))).toBe(false);
    expect(atomsConflict(a("reads", "N"), a("sends", "N"))).toBe(false);
  });

  it("orders a user verb only with itself", () => {
    expect(atomsConflict(a("audits", "L"), a("audits", "L"))).toBe(true);
    expect(atomsConflict(a("audits", "L"), a("traces", "L"))).toBe(false);
    expect(atomsConflict(a("audits", "L"), a("writes", "L"))).toBe(false);
  });

  it("separates distinct literal keys but not unknown ones", () => {
    expect(atomsConflict(a("writes", "Shard", "1"), a("writes", "Shard", "2"))).toBe(false);
    expect(atomsConflict(a("writes", "Shard", "1"), a("writes", "Shard", "1"))).toBe(true);
    expect(atomsConflict(a("writes", "Shard", "k"), a("writes", "Shard", "2"))).toBe(true);
    expect(atomsConflict(a("writes", "Shard", "_"), a("writes", "Shard", "_"))).toBe(true);
  });

  it("ignores allocation, panics, blocking and suspension", () => {
    expect(atomsConflict(a("allocates", "Heap"), a("allocates", "Heap"))).toBe(false);
    expect(atomsConflict(a("panics"), a("panics"))).toBe(false);
  });
});
