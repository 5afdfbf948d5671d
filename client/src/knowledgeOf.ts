/** The core's knowledge (cpu_map, Nova catalog) with the user's settings: the client asks it, never parses. */
import { getKnowledge, type Knowledge } from '../../server/src/knowledge/knowledge';
import { normalizeSettings } from '../../server/src/core/settings';
import { analysisSettings } from './settings';

export function knowledge(): Knowledge {
  return getKnowledge(normalizeSettings(analysisSettings()));
}
