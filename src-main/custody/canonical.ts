/**
 * A canonical JSON encoding (sorted object keys, no whitespace, no undefined), so the same
 * audit entry always hashes to the same bytes whatever the order its fields were built in.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, 'value');
}

function encode(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} cannot be encoded`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value.map((v, i) => encode(v === undefined ? null : v, `${path}[${i}]`)).join(',')}]`;
      }
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) {
        // A Date, Map or class instance would encode as {} and silently lose what it held.
        throw new TypeError(`${path}: only plain objects and arrays can be encoded`);
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${encode(record[k], `${path}.${k}`)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`${path}: a ${typeof value} cannot be encoded`);
  }
}
