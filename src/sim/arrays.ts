// Array helpers safe for any length: `a.push(...b)` passes b as call arguments and overflows the stack
// (RangeError) for large b, e.g. the 262144 order-0 units of a freed 1 GiB range or its migrations.

/** append every element of `src` to `dst` (returns dst) */
export function pushAll<T>(dst: T[], src: readonly T[]): T[] {
  for (let i = 0; i < src.length; i++) dst.push(src[i]!);
  return dst;
}
