/**
 * oslo.config's URI type is rfc3986 (1.5, as Debian 12 ships it): parse with URI_MATCHER,
 * percent-encode path/query/fragment, then require a scheme and a host, check scheme, host and
 * path, and the allowed schemes. The error is str() of rfc3986's exception, whose args include
 * the parsed URIReference: reproduced here so the message is Nova's, character for character.
 * The patterns are rfc3986's (misc.py / abnf_regexp.py), with Python's `$` (which also matches
 * before a final newline) written out.
 */
import { pyRepr, reprValue } from '../../core/python';

const HEX = '[0-9A-Fa-f]';
const H16 = `${HEX}{1,4}`;
const IPV4 = '([0-9]{1,3}\\.){3}[0-9]{1,3}';
const LS32 = `(${H16}:${H16}|${IPV4})`;
const IPV6 = [
  `((${H16}:){6}${LS32})`, `(::(${H16}:){5}${LS32})`, `((${H16})?::(${H16}:){4}${LS32})`,
  `(((${H16}:)?${H16})?::(${H16}:){3}${LS32})`, `(((${H16}:){0,2}${H16})?::(${H16}:){2}${LS32})`,
  `(((${H16}:){0,3}${H16})?::${H16}:${LS32})`, `(((${H16}:){0,4}${H16})?::${LS32})`,
  `(((${H16}:){0,5}${H16})?::${H16})`, `(((${H16}:){0,6}${H16})?::)`,
].join('|');
const UNRESERVED_OR_PCT = "(?:[A-Za-z0-9._~\\-]|%[A-Fa-f0-9]{2})+";
const ZONE = `(?:(?:%25|%)${UNRESERVED_OR_PCT})?`;
const ZONE_RFC6874 = `(?:%25${UNRESERVED_OR_PCT})?`;
const IPVFUTURE = "v[0-9A-Fa-f]+\\.[A-Za-z0-9._~\\-!$&'()\\*+,;=:]+";
const REG_NAME = "((?:%[0-9A-Fa-f]{2}|[!$&'()\\*+,;=A-Za-z0-9._~\\-])*)";
const HOST = `(${REG_NAME}|${IPV4}|\\[((${IPV6})${ZONE}|${IPVFUTURE})\\])`;
const END = '\\n?$';

const URI_MATCHER = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?:\/\/([^\\/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#([^\n]*))?/;
const SUBAUTHORITY = new RegExp(`^(?:(?:([A-Za-z0-9._~\\-!$&'()\\*+,;=:]|%[A-Fa-f0-9]{2})+)@)?(${HOST}):?([0-9]{1,5})?${END}`);
const HOST_MATCHER = new RegExp(`^${HOST}${END}`);
const IPV4_MATCHER = new RegExp(`^${IPV4}${END}`);
const IPV6_MATCHER = new RegExp(`^\\[(${IPV6})${ZONE}\\]${END}`);
const IPV6_NO_RFC4007 = new RegExp(`^\\[(${IPV6})${ZONE_RFC6874}\\]${END}`);
const SEG = "([A-Za-z0-9._~\\-!$&'()\\*+,;=:@]|%[A-Fa-f0-9]{2})";
const SEG_NC = "([A-Za-z0-9._~\\-!$&'()\\*+,;=@]|%[A-Fa-f0-9]{2})";
const PATH_MATCHER = new RegExp(`^((/${SEG}*)*|/(${SEG}+(/${SEG}*)*)?|${SEG_NC}+(/${SEG}*)*|${SEG}+(/${SEG}*)*|^$)${END}`);

const NON_PCT_ENCODED = new Set("!#$&'()*+,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]_abcdefghijklmnopqrstuvwxyz~");

/** normalizers.encode_component: keeps what needs no encoding (and `%` when all of them are escapes). */
function encodeComponent(part: string | undefined): string | undefined {
  if (part === undefined) return undefined;
  const bytes = new TextEncoder().encode(part);
  const escapes = (part.match(/%[A-Fa-f0-9]{2}/g) ?? []).length;
  const isEncoded = escapes === bytes.filter((b) => b === 0x25).length;
  let out = '';
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    if ((isEncoded && b === 0x25) || (b < 128 && NON_PCT_ENCODED.has(ch))) out += ch;
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

interface UriReference { scheme?: string; authority?: string; path?: string; query?: string; fragment?: string }

const repr = (v: string | undefined) => (v === undefined ? 'None' : reprValue(v));
const uriRepr = (u: UriReference) =>
  `URIReference(scheme=${repr(u.scheme)}, authority=${repr(u.authority)}, path=${repr(u.path)}, query=${repr(u.query)}, fragment=${repr(u.fragment)})`;
const listRepr = (xs: string[]) => `[${xs.map(pyRepr).join(', ')}]`;

/** URIReference.host: undefined where rfc3986 returns None (no authority, or one it cannot split). */
function hostOf(u: UriReference): string | undefined {
  if (!u.authority) return undefined;
  const m = SUBAUTHORITY.exec(u.authority);
  if (!m) return undefined;
  const host = m[2];
  if (host && IPV4_MATCHER.test(host) && host.replace(/\n$/, '').split('.').some((b) => Number(b) > 255)) return undefined;
  return host;
}

function hostIsValid(host: string | undefined): boolean {
  if (host === undefined) return true;
  if (!HOST_MATCHER.test(host)) return false;
  if (IPV4_MATCHER.test(host)) return host.replace(/\n$/, '').split('.').every((b) => Number(b) <= 255);
  if (IPV6_MATCHER.test(host)) return IPV6_NO_RFC4007.test(host);
  return true;
}

/** The ValueError text oslo.config's URI type raises for `value`, or undefined when it accepts it. */
export function checkUri(value: string, schemes?: string[]): string | undefined {
  const m = URI_MATCHER.exec(value)!;
  const u: UriReference = {
    scheme: m[1] || undefined, authority: m[2] || undefined, path: encodeComponent(m[3]) || undefined,
    query: encodeComponent(m[4]), fragment: encodeComponent(m[5]),
  };
  const host = hostOf(u);
  const missing = [host === undefined ? 'host' : '', u.scheme === undefined ? 'scheme' : ''].filter(Boolean);
  if (missing.length) return `('${missing.join(', ')} ${missing.length > 1 ? 'were' : 'was'} required but missing', ${uriRepr(u)}, ${listRepr(missing)})`;
  const invalid = [hostIsValid(host) ? '' : 'host', u.path === undefined || PATH_MATCHER.test(u.path) ? '' : 'path'].filter(Boolean);
  if (invalid.length) return `('${invalid.join(', ')} ${invalid.length > 1 ? 'were' : 'was'} found to be invalid', ${uriRepr(u)}, ${listRepr(invalid)})`;
  if (schemes?.length && !schemes.map((s) => s.toLowerCase()).includes(u.scheme!)) {
    const allowed = [...new Set(schemes.map((s) => s.toLowerCase()))].sort();
    const message = `scheme was required to be one of ${listRepr(allowed)} but was ${reprValue(u.scheme!)}`;
    // The last element is a Python set: its order is the process's hash order; we print it sorted.
    return `(${pyRepr(message)}, 'scheme', ${reprValue(u.scheme!)}, {${allowed.map(pyRepr).join(', ')}})`;
  }
  return undefined;
}
