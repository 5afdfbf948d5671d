/**
 * How oslo.config reads the file: parse errors (nova-compute refuses to start: it reads none of
 * the file), indented lines that silently continue a value, inline "comments" that are values,
 * and the one group name that is case-sensitive.
 */
import type { Fix } from '../../core/findings';
import type { Code } from '../../codes';
import { quoteValue } from '../../core/findingCap';
import { valueParts, type ProblemKind } from '../scan';
import { addBeforeLine, replaceSpan } from '../edits';
import { pyRstrip, reprValue } from '../python';
import { INLINE_COMMENT } from '../values';
import type { Rule, RuleContext } from './context';

const STAGE = 'oslo.config' as const;
const FATAL = 'oslo.config cannot parse the file, so nova-compute stops at start with ConfigFileParseError before reading any option.';

const CODES: Record<ProblemKind, { code: Code; why: string }> = {
  'no-section-end': { code: 'nova/section-not-closed', why: 'A section header must end with `]` and nothing after it (a `# comment` after the header is not allowed).' },
  'empty-section-name': { code: 'nova/empty-section-name', why: '`[]` names no section.' },
  'no-assignment': { code: 'nova/not-an-assignment', why: 'This line is neither `key = value`, a `[section]`, nor a comment (comments must start the line with # or ;).' },
  'empty-key': { code: 'nova/empty-key', why: 'The line has a value but no option name before the `=` or `:`.' },
  'unexpected-continuation': { code: 'nova/unexpected-continuation', why: 'An indented line continues the previous value, but there is no value open here (after a blank line, a comment or a section header). Remove the indentation.' },
  'no-section': { code: 'nova/key-before-section', why: 'Options must come after a section header; add `[DEFAULT]` (or the right section) above this line.' },
  bom: { code: 'nova/byte-order-mark', why: 'The file starts with a UTF-8 byte-order mark, which Python reads as part of the first line. Save the file as UTF-8 without BOM.' },
};

function parseProblems(ctx: RuleContext): void {
  const { model } = ctx;
  for (const p of model.scan.problems) {
    const { code, why } = CODES[p.kind];
    const fixes: Fix[] = [];
    const lineText = model.lines.lineText(p.line);
    if (p.kind === 'unexpected-continuation') {
      const indent = lineText.length - lineText.trimStart().length;
      fixes.push({ title: 'Remove the indentation', preferred: true, edits: [replaceSpan(model, model.lines.lineStarts[p.line], model.lines.lineStarts[p.line] + indent, '')] });
    } else if (p.kind === 'no-section') {
      fixes.push({ title: 'Add [DEFAULT] above', preferred: true, edits: [addBeforeLine(model, p.line, '[DEFAULT]')] });
    } else if (p.kind === 'no-section-end') {
      const close = lineText.indexOf(']');
      if (close > 0) fixes.push({ title: 'Remove the text after ]', preferred: true, edits: [replaceSpan(model, model.lines.lineStarts[p.line] + close + 1, p.end, '')] });
    } else if (p.kind === 'bom') {
      fixes.push({ title: 'Remove the byte-order mark', preferred: true, edits: [replaceSpan(model, 0, 1, '')] });
    }
    // ParseError quotes the line as Python's repr() of line.rstrip() (no line for a key before any section).
    const upstream = `${p.message}: ${p.kind === 'no-section' ? 'None' : reprValue(pyRstrip(lineText))}`;
    ctx.report({ code, severity: 'error', range: ctx.range(p.start, p.end), upstream, explanation: `${why} ${FATAL}`, stage: STAGE, fixes });
  }
}

function continuations(ctx: RuleContext): void {
  const { model } = ctx;
  for (const { entry, part } of model.scan.suspiciousContinuations) {
    const looksComment = /^[#;]/.test(part.text);
    const line = model.lines.positionAt(part.offset).line;
    ctx.report({
      code: 'nova/continuation-line', severity: 'warning', range: ctx.range(part.offset, part.offset + part.text.length), stage: STAGE,
      explanation: `This indented line is not ${looksComment ? 'a comment' : 'a new option'}: oslo.config treats any line starting with a space or tab as the continuation of '${quoteValue(entry.key)}', so its value gains a newline and this text. Remove the indentation.`,
      fixes: [{ title: 'Remove the indentation', preferred: true, edits: [replaceSpan(model, model.lines.lineStarts[line], part.offset, '')] }],
    });
  }
}

function inlineComments(ctx: RuleContext): void {
  const { model } = ctx;
  for (const e of model.scan.entries) {
    if (e.quoted) continue;
    const line = valueParts(e)[0];
    const first = line.text;
    const m = INLINE_COMMENT.exec(first);
    if (!m) continue;
    const valueText = first.slice(0, m.index);
    const comment = m[0].trimStart();
    const start = line.offset + first.length - comment.length;
    ctx.report({
      code: 'nova/inline-comment', severity: 'warning', range: ctx.range(start, line.offset + first.length), stage: STAGE,
      explanation: `oslo.config has no inline comments: '${quoteValue(comment)}' is part of the value of ${quoteValue(e.key)}, which Nova reads as '${quoteValue(first)}'. Put the comment on its own line.`,
      fixes: [{
        title: 'Move the comment to its own line', preferred: true,
        edits: [addBeforeLine(model, e.line, comment), replaceSpan(model, line.offset, line.offset + first.length, valueText)],
      }],
    });
  }
}

function sectionNames(ctx: RuleContext): void {
  const { model } = ctx;
  for (const s of model.scan.sections) {
    if (s.name !== 'DEFAULT' && s.name.toLowerCase() === 'default') {
      ctx.report({
        code: 'nova/default-section-case', severity: 'warning', range: ctx.range(s.nameStart, s.nameEnd), stage: STAGE,
        explanation: `Only [DEFAULT] in upper case is the default section: oslo.config reads [${s.name}] as a separate group named 'default', and Nova ignores every option in it.`,
        fixes: [{ title: 'Rename to [DEFAULT]', preferred: true, edits: [replaceSpan(model, s.nameStart, s.nameEnd, 'DEFAULT')] }],
      });
    }
  }
}

export const syntaxRules: Rule[] = [parseProblems, continuations, inlineComments, sectionNames];