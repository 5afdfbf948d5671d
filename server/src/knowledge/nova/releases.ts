/**
 * Nova releases by major version, and the many ways users name them: `zed`, `26`, `26.2.2`,
 * `2024.1`, `Caracal`, `master`. Every release-dependent rule compares majors (numbers), so
 * this is the only place that knows names.
 */
export interface NovaRelease {
  major: number;
  name: string;
  /** The year.half name from 2023.1 on. */
  year?: string;
}

const NAMES = [
  'pike', 'queens', 'rocky', 'stein', 'train', 'ussuri', 'victoria', 'wallaby', 'xena', 'yoga', 'zed',
  'antelope', 'bobcat', 'caracal', 'dalmatian', 'epoxy', 'flamingo', 'gazpacho', 'hibiscus',
] as const;
/** Releases before the catalog starts: understood, and judged as Pike. */
const OLDER_NAMES = ['austin', 'bexar', 'cactus', 'diablo', 'essex', 'folsom', 'grizzly', 'havana', 'icehouse', 'juno', 'kilo', 'liberty', 'mitaka', 'newton', 'ocata'];
/** Pike (16) is where the option history in our catalog starts. */
export const OLDEST_MAJOR = 16;
/** Master during Hibiscus development: the newest the catalog describes. */
export const NEWEST_MAJOR = OLDEST_MAJOR + NAMES.length - 1;

/** Antelope (27) is 2023.1, the first release named by year.half. */
const FIRST_YEAR_NAMED = OLDEST_MAJOR + NAMES.indexOf('antelope');

export const RELEASES: NovaRelease[] = NAMES.map((name, i) => {
  const major = OLDEST_MAJOR + i;
  const y = major >= FIRST_YEAR_NAMED ? `${2023 + Math.floor((major - FIRST_YEAR_NAMED) / 2)}.${((major - FIRST_YEAR_NAMED) % 2) + 1}` : undefined;
  return { major, name, year: y };
});

/** The major of a release by name: rules name the release they mean (`majorOf('zed')`), never a bare 26. */
export function majorOf(name: (typeof NAMES)[number]): number {
  return OLDEST_MAJOR + NAMES.indexOf(name);
}

export function releaseByMajor(major: number): NovaRelease {
  return RELEASES[Math.max(0, Math.min(RELEASES.length - 1, major - OLDEST_MAJOR))];
}

export function releaseLabel(r: NovaRelease): string {
  const name = r.name[0].toUpperCase() + r.name.slice(1);
  return `${r.year ? `${r.year} ` : ''}${name} (${r.major})`;
}

export interface ReleaseChoice {
  release: NovaRelease;
  /** Set when the setting was not understood and we fell back to the newest release. */
  unknownSetting?: string;
  /** Set when the setting names a release older than the catalog (we use the oldest we know). */
  clampedFrom?: string;
}

/** Reads the user's setting; '' (or 'latest', 'master') means the newest release we know. */
export function resolveRelease(setting: string): ReleaseChoice {
  const s = setting.trim().toLowerCase().replace(/^nova\s*/, '');
  const newest = releaseByMajor(NEWEST_MAJOR);
  if (s === '' || s === 'latest' || s === 'master' || s === 'newest') return { release: newest };
  const byName = RELEASES.find((r) => r.name === s || r.year === s);
  if (byName) return { release: byName };
  if (OLDER_NAMES.includes(s)) return { release: releaseByMajor(OLDEST_MAJOR), clampedFrom: setting };
  const num = /^(\d+)(?:\.\d+){0,2}$/.exec(s);
  if (num) {
    const major = Number(num[1]);
    // 2023.1 and later are also written as year.half; handled above. Majors 1..15 predate the catalog.
    if (major >= OLDEST_MAJOR && major <= NEWEST_MAJOR) return { release: releaseByMajor(major) };
    if (major >= 1 && major < OLDEST_MAJOR) return { release: releaseByMajor(OLDEST_MAJOR), clampedFrom: setting };
  }
  return { release: newest, unknownSetting: setting };
}

/** What a user should be told about the setting, once: undefined when it was understood as written. */
export function releaseSettingProblem(choice: ReleaseChoice, where = 'the novaRelease setting'): string | undefined {
  if (choice.unknownSetting !== undefined) {
    return `Unknown Nova release '${choice.unknownSetting}' in ${where}: checking against the newest we know, ${releaseLabel(choice.release)}. Use a name (${RELEASES[0].name} … ${RELEASES[RELEASES.length - 1].name}), a number (${OLDEST_MAJOR} … ${NEWEST_MAJOR}) or a year name such as ${RELEASES.find((r) => r.year)?.year}.`;
  }
  if (choice.clampedFrom !== undefined) return `Nova release '${choice.clampedFrom}' is older than our catalog: checking against the oldest we know, ${releaseLabel(choice.release)}.`;
  return undefined;
}
