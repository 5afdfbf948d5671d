import type { LanguageService } from '../core/languageService';

// SCAFFOLD: replaced by the nova.conf language (issue 3).
export const novaConfService: LanguageService<{ text: string }> = {
  kind: 'nova-conf',
  parse: (text) => ({ text }),
  diagnose: () => [],
};
