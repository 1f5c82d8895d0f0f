// The same per-person order as participation/proposals/order.py: FNV-1a of "seed:id".
export function fnv1a(text) {
  let value = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    value ^= byte;
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value;
}

export function orderKey(seed, id) {
  return fnv1a(`${seed}:${id}`);
}
