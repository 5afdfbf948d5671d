/**
 * The nova.conf language: parse once per version into a model, then every feature reads it.
 * Release-dependent knowledge (Knowledge's Nova part: the release and its option catalog) is read at parse time.
 */
import type { LanguageService } from '../core/languageService';
import { complete } from './complete';
import { hover } from './hover';
import { buildModel, type NovaConfModel } from './model';
import { folding, symbols } from './outline';
import { runRules } from './rules';

export const novaConfService: LanguageService<NovaConfModel> = {
  kind: 'nova-conf',
  parse: (text, lines, knowledge, related, deadline, previous) => buildModel(text, lines, knowledge.nova, related, deadline, previous),
  diagnose: (model, knowledge, deadline, previous) => runRules(model, knowledge.catalog, deadline, knowledge.host, previous),
  complete: (model, position, knowledge) => complete(model, position, knowledge.catalog),
  hover: (model, position, knowledge) => hover(model, position, knowledge.catalog),
  symbols,
  folding,
};
