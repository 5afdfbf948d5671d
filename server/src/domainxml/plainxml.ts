/**
 * A proof, in one pass over the text, that fast-xml-parser's XMLValidator would accept it, for the
 * plain XML every real domain is written in. The validator builds each tag name and attribute
 * string one character at a time and runs a Unicode name regex on each: on a domain with 60,000
 * elements it costs more than scanning and every rule together. Errors are rare and found once, so
 * the validator still judges any text this does not prove (and words the error).
 *
 * Plain means: an optional `<?xml ...?>` at the very start; blanks and comments around one root
 * element; elements and attributes with ASCII XML names; attributes written `name="value"` or
 * `name='value'` with a blank before each and no name twice; every element closed by an end tag of
 * its own name (`</name>`, blanks allowed before `>`); text whose every `&` starts a reference the
 * validator accepts (`&name;`, `&#N;`, `&#xH;`). A DOCTYPE, CDATA, a processing instruction, a
 * byte order mark, a non-ASCII name, or anything odd makes it answer false (not proven), never
 * true: true must mean the validator returns true.
 */

const isBlank = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
const isNameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isNameChar = (c: number) => isNameStart(c) || isDigit(c) || c === 45 || c === 46;
const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
/** What the validator's `\w` matches. */
const isWord = (c: number) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** Attributes of one tag compared pairwise up to this many, through a set beyond. */
const FEW_ATTRS = 8;

/**
 * `spent(offset)` (a pacer of the analysis's deadline) is asked at each tag: undefined when it
 * stopped the proof (neither proven nor not).
 */
export function isPlainWellFormed(text: string, spent?: (at: number) => boolean): boolean | undefined {
  const n = text.length;
  let i = 0;
  if (text.startsWith('<?xml ')) {
    const e = text.indexOf('?>', 6);
    if (e < 0) return false;
    i = e + 2;
  }
  /** Start offsets and lengths of the names of the open elements, innermost last. */
  const openAt: number[] = [];
  const openLen: number[] = [];
  let rootDone = false;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c !== 60 /* < */) {
      if (c === 38 && spent?.(i)) return undefined;
      if (!openAt.length) { if (!isBlank(c)) return false; i++; continue; }
      if (c === 38 /* & */) { i = afterReference(text, i); if (i < 0) return false; continue; }
      i++;
      continue;
    }
    if (spent?.(i)) return undefined;
    const c1 = text.charCodeAt(i + 1);
    if (c1 === 33 /* ! */) {
      if (!text.startsWith('<!--', i)) return false;
      const e = text.indexOf('-->', i + 4);
      if (e < 0) return false;
      i = e + 3;
      continue;
    }
    if (c1 === 47 /* / */) {
      const depth = openAt.length;
      if (!depth) return false;
      const at = openAt[depth - 1];
      const len = openLen[depth - 1];
      let j = i + 2;
      for (let k = 0; k < len; k++) if (text.charCodeAt(j + k) !== text.charCodeAt(at + k)) return false;
      j += len;
      while (isBlank(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) !== 62 /* > */) return false;
      openAt.pop();
      openLen.pop();
      if (depth === 1) rootDone = true;
      i = j + 1;
      continue;
    }
    if (rootDone || !isNameStart(c1)) return false;
    let j = i + 2;
    while (isNameChar(text.charCodeAt(j))) j++;
    const nameAt = i + 1;
    const nameLen = j - nameAt;
    const end = afterAttributes(text, j);
    if (end < 0) return false;
    // A '>' that ends a tag follows a name, a blank or a quote, so '/' before it means '/>'.
    if (text.charCodeAt(end - 2) === 47 /* / */) { if (!openAt.length) rootDone = true; } else { openAt.push(nameAt); openLen.push(nameLen); }
    i = end;
  }
  return rootDone && !openAt.length;
}

/** After a start tag's name: its attributes and `>` or `/>`; the offset after the tag, or -1 when not plain. */
function afterAttributes(text: string, from: number): number {
  let j = from;
  const names: string[] = [];
  let seen: Set<string> | undefined;
  for (;;) {
    const c = text.charCodeAt(j);
    if (c === 62 /* > */) return j + 1;
    if (c === 47 /* / */) return text.charCodeAt(j + 1) === 62 ? j + 2 : -1;
    if (!isBlank(c)) return -1;
    while (isBlank(text.charCodeAt(j))) j++;
    const d = text.charCodeAt(j);
    if (d === 62 || d === 47) continue;
    if (!isNameStart(d)) return -1;
    const nameAt = j;
    j++;
    while (isNameChar(text.charCodeAt(j))) j++;
    const name = text.slice(nameAt, j);
    while (isBlank(text.charCodeAt(j))) j++;
    if (text.charCodeAt(j) !== 61 /* = */) return -1;
    j++;
    while (isBlank(text.charCodeAt(j))) j++;
    const q = text.charCodeAt(j);
    if (q !== 34 && q !== 39) return -1;
    const close = text.indexOf(q === 34 ? '"' : "'", j + 1);
    if (close < 0) return -1;
    j = close + 1;
    if (seen) { if (seen.has(name)) return -1; seen.add(name); continue; }
    if (names.includes(name)) return -1;
    names.push(name);
    if (names.length > FEW_ATTRS) seen = new Set(names);
  }
}

/** After a `&` in text: the offset after a reference the validator accepts, or -1. */
function afterReference(text: string, at: number): number {
  let j = at + 1;
  if (text.charCodeAt(j) === 35 /* # */) {
    j++;
    const hex = text.charCodeAt(j) === 120 /* x */;
    if (hex) j++;
    const from = j;
    while (hex ? isHex(text.charCodeAt(j)) : isDigit(text.charCodeAt(j))) j++;
    return j > from && text.charCodeAt(j) === 59 /* ; */ ? j + 1 : -1;
  }
  const from = j;
  while (j - from < 20 && isWord(text.charCodeAt(j))) j++;
  return j > from && text.charCodeAt(j) === 59 ? j + 1 : -1;
}
