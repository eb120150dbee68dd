/**
 * Flattens JSON into "path -> JSON type" so two payloads can be compared field by field.
 * Array elements are merged under `path[]`, so a union sample's variants all count.
 */
export type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

export function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonType;
}

export function shapeOf(
  value: unknown,
  path = '',
  out = new Map<string, Set<JsonType>>(),
): Map<string, Set<JsonType>> {
  if (path) {
    const types = out.get(path) ?? new Set<JsonType>();
    types.add(jsonType(value));
    out.set(path, types);
  }
  if (Array.isArray(value)) {
    for (const item of value) shapeOf(item, `${path}[]`, out);
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) shapeOf(child, path ? `${path}.${key}` : key, out);
  }
  return out;
}

const skipped = (path: string, ignore: string[]) =>
  ignore.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[]`));

/** Paths of `expected` missing from `actual` or present with another JSON type. */
export function missingFrom(expected: unknown, actual: unknown, ignore: string[] = []): string[] {
  const want = shapeOf(expected);
  const have = shapeOf(actual);
  const problems: string[] = [];
  for (const [path, types] of want) {
    if (skipped(path, ignore)) continue;
    const got = have.get(path);
    if (!got) problems.push(`missing ${path}`);
    else if (![...types].some((t) => got.has(t)))
      problems.push(`${path}: ${[...got]} instead of ${[...types]}`);
  }
  return problems;
}

/**
 * Paths of `ours` that the union sample does not know, or knows with another type. Anonymised
 * samples cannot show null, so null is accepted for any known field; an empty object in the
 * sample (e.g. `state: {}`) is open.
 */
export function unknownTo(schema: unknown, ours: unknown, ignore: string[] = []): string[] {
  const known = shapeOf(schema);
  const problems: string[] = [];
  for (const [path, types] of shapeOf(ours)) {
    if (skipped(path, ignore)) continue;
    const openParent = [...known].some(
      ([p, t]) =>
        t.has('object') && path.startsWith(`${p}.`) && ![...known.keys()].some((k) => k.startsWith(`${p}.`)),
    );
    if (openParent) continue;
    const want = known.get(path);
    if (!want) problems.push(`unknown ${path}`);
    else if (![...types].every((t) => t === 'null' || want.has(t)))
      problems.push(`${path}: ${[...types]} not ${[...want]}`);
  }
  return problems;
}
