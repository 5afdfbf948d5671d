import { fileURLToPath } from 'node:url';

export const URI = {
  /** A file path for file: URIs; other schemes keep their URI (untitled documents have no path). */
  toPath(uri: string): string {
    if (uri.startsWith('file:')) {
      try { return fileURLToPath(uri); } catch { /* fall through */ }
    }
    return uri;
  },
};
