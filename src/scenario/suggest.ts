// "Did you mean ...?" for unknown keys and values: the closest known word by edit distance, when it is close
// enough to be a plausible typo.

export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] as number;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      prev[j] = Math.min(up + 1, (prev[j - 1] as number) + 1, diag + cost);
      diag = up;
    }
  }
  return prev[b.length] as number;
}

/** The candidate nearest to `word` (case-insensitive), or undefined when none is within a typo's reach. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  let tie = false;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance && c !== best) {
      tie = true;
    }
  }
  // A tie ("Tier5": Tier 1? Tier 2? ...) is no suggestion at all: better to list what exists.
  const reach = Math.max(2, Math.floor(w.length / 3));
  return best !== undefined && !tie && bestDistance <= reach && bestDistance < w.length ? best : undefined;
}

/** `a, b, c` — long lists cut short so a message stays one line. */
export function listOf(values: readonly unknown[], max = 12): string {
  const shown = values.slice(0, max).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return values.length > max ? `${shown.join(', ')}, ... (${values.length - max} more)` : shown.join(', ');
}

/** `/campaigns/types/0/weight` → `campaigns.types[0].weight`, the way the YAML reads. */
export function dottedPath(pointer: string): string {
  if (pointer === '') return '';
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** JSON pointer escaping of one segment. */
export function pointerSegment(seg: string | number): string {
  return String(seg).replace(/~/g, '~0').replace(/\//g, '~1');
}
