/**
 * The domain XML language: scan → model → rules/features. `parse` runs once per document
 * version; diagnostics, completion, hover, symbols and folding all read the model it built.
 */
import type { LanguageService } from '../core/languageService';
import { buildModel, type DomainModel } from './model';
import { diagnoseDomain } from './diagnose';
import { completeDomain } from './complete';
import { hoverDomain } from './hover';
import { domainFolding, domainSymbols } from './outline';

export const domainXmlService: LanguageService<DomainModel> = {
  kind: 'domain-xml',
  parse: (text, lines, _knowledge, _related, deadline) => buildModel(text, lines, deadline),
  diagnose: diagnoseDomain,
  complete: completeDomain,
  hover: hoverDomain,
  symbols: domainSymbols,
  folding: domainFolding,
};
