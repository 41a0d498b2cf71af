// A function computed once per key object (a plan, a validation's context, a reference sample) and remembered
// only as long as that object lives: the caches of derived data that several readers share.

/** `fn`, memoised by the object `keyOf` picks from its arguments (the first call's arguments win). */
export function oncePer<A extends unknown[], V>(
  keyOf: (...args: A) => object,
  fn: (...args: A) => V,
): (...args: A) => V {
  const cache = new WeakMap<object, V>();
  return (...args: A): V => {
    const key = keyOf(...args);
    if (cache.has(key)) return cache.get(key) as V;
    const value = fn(...args);
    cache.set(key, value);
    return value;
  };
}
