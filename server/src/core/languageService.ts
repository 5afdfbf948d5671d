import type { CompletionItem, DocumentSymbol, FoldingRange, Hover } from 'vscode-languageserver-types';
import type { Finding, Position } from './findings';
import type { LineIndex } from './lineIndex';
import type { Knowledge } from '../knowledge/knowledge';
import type { DocumentKind } from './documentKind';
import type { Deadline } from './deadline';

/** Another file read together with this one (a nova.conf config set member). */
export interface RelatedFile { label: string; text: string }

/** The files read before and after this one, each list in read order; only nova.conf uses them. */
export interface RelatedFiles {
  before: RelatedFile[];
  after: RelatedFile[];
  /** Members that exist but could not be read (left out of before/after): the verdict may be wrong. */
  unreadable?: Array<{ label: string; reason: string }>;
  /**
   * The whole set in read order (this file at `self`), one `files` array shared by all members
   * of one set state: set-wide work (which file sets each key last) is then done once per set,
   * not once per member.
   */
  set?: { files: readonly RelatedFile[]; self: number };
}

/**
 * One per document kind (nova.conf, domain XML). The server and the CLI call only this.
 * `parse` runs once per document version; every other member reads the model it made,
 * so nothing re-parses per request.
 */
export interface LanguageService<Model> {
  kind: DocumentKind;
  /**
   * `deadline`: the analysis's time budget, asked while reading (every CHECK_EVERY characters);
   * once spent, the model holds what was read and the deadline says where it stopped.
   * `previous`: as for diagnose; a service may take from it what depends on the text alone.
   */
  parse(text: string, lines: LineIndex, knowledge: Knowledge, related?: RelatedFiles, deadline?: Deadline, previous?: Model): Model;
  /**
   * Checks `deadline` between rules and stops once it has expired (see core/deadline.ts).
   * `previous`: the model of this document's last whole analysis; when it was of the same text
   * and knowledge with other related files, a service may reuse the part of its work that the
   * change of those files cannot reach.
   */
  diagnose(model: Model, knowledge: Knowledge, deadline?: Deadline, previous?: Model): Finding[];
  complete?(model: Model, position: Position, knowledge: Knowledge): CompletionItem[];
  hover?(model: Model, position: Position, knowledge: Knowledge): Hover | null;
  symbols?(model: Model): DocumentSymbol[];
  folding?(model: Model): FoldingRange[];
}
