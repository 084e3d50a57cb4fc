import type { Random } from "./random.js";

/**
 * A random token of up to `bits` bits (at most 53) from a seeded source, written in
 * `radix`, so runs repeat.
 */
export function randomToken(random: Random, bits: number, radix: number): string {
  return Math.floor(random.next() * 2 ** bits).toString(radix);
}

/** Two hex digits of every byte. */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

/**
 * A version-4-shaped UUID from a seeded source, so runs repeat. Sixteen bits a draw, read
 * through a table: a stock adjustment of 1,000 items makes 1,000 ids.
 */
export function uuidFrom(random: Random): string {
  let hex = "";
  for (let i = 0; i < 8; i++) {
    const bits = Math.floor(random.next() * 0x10000);
    hex += (HEX[bits >> 8] as string) + (HEX[bits & 0xff] as string);
  }
  const variant = "89ab"[Number.parseInt(hex[16] as string, 16) & 3] as string;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
}
