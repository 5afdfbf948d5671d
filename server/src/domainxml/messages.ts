import { quoteValue } from '../core/findingCap';

/**
 * libvirt's generic attribute messages (src/util/virxml.c virXMLProp*), with the prefix
 * virsh prints. Most value errors in these blocks come from here, so rules share them.
 * User values are quoted through quoteValue: a 10 MB value must not become a 10 MB message.
 */
export const lv = {
  missingAttr: (attr: string, elem: string) => `XML error: Missing required attribute '${attr}' in element '${elem}'`,
  invalidEnum: (attr: string, elem: string, value: string) => `XML error: Invalid value for attribute '${attr}' in element '${elem}': '${quoteValue(value)}'.`,
  notUInt: (attr: string, elem: string, value: string) => `XML error: Invalid value for attribute '${attr}' in element '${elem}': '${quoteValue(value)}'. Expected non-negative integer value`,
  notInt: (attr: string, elem: string, value: string) => `XML error: Invalid value for attribute '${attr}' in element '${elem}': '${quoteValue(value)}'. Expected integer value`,
  zero: (attr: string, elem: string) => `XML error: Invalid value for attribute '${attr}' in element '${elem}': Zero is not permitted`,
  badBitmap: (value: string) => `invalid argument: Failed to parse bitmap '${quoteValue(value)}'`,
  emptySet: (what: string, value: string) => `unsupported configuration: Invalid value of '${what}': ${quoteValue(value)}`,
};

/** strtoul-like unsigned int as virXMLPropUInt accepts it (decimal, <= UINT_MAX). */
export function parseUInt(s: string, max = 4294967295): number | undefined {
  const t = s.trim();
  if (!/^\+?\d+$/.test(t)) return undefined;
  const n = Number(t);
  return n <= max ? n : undefined;
}

/** Signed integer (virXMLPropInt / strtoll), within the given bounds. */
export function parseInt64(s: string, min = -9223372036854775808, max = 9223372036854775807): number | undefined {
  const t = s.trim();
  if (!/^[+-]?\d+$/.test(t)) return undefined;
  const n = Number(t);
  return n >= min && n <= max ? n : undefined;
}
