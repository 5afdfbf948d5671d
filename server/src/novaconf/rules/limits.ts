/**
 * Where the analysis stopped short of the whole text: lines past MAX_SCANNED_LINES, and list items
 * past MAX_LIST_ITEMS. Said once each, where the unread part starts, so no one mistakes a partial
 * verdict for a whole one (Nova reads it all; a later value may change what wins).
 */
import { MAX_SCANNED_LINES } from '../scan';
import { listLength, MAX_LIST_ITEMS } from '../values';
import type { Rule } from './context';

const count = (n: number) => n.toLocaleString('en-US');

const limits: Rule = (ctx) => {
  const { model, catalog } = ctx;
  const unread = model.scan.unread;
  if (unread) {
    const at = model.lines.lineStarts[unread.line];
    ctx.report({
      code: 'input/too-many-lines', severity: 'warning', range: ctx.range(at, at),
      explanation: `Only the first ${count(MAX_SCANNED_LINES)} lines are checked; the ${count(unread.lines)} lines from here on are not read, so a value set below (which Nova would use) is not seen. No real nova.conf is this long: is it the right file?`,
    });
  }
  for (const e of model.scan.entries) {
    if (ctx.outOfTime('limits')) break;
    const group = e.section?.group;
    if (group === undefined || e.value.length < MAX_LIST_ITEMS) continue;
    const option = catalog.option(group, e.key) ?? catalog.aliasTarget(group, e.key) ?? catalog.zedOption(group, e.key);
    if (option?.type !== 'list') continue;
    const n = listLength(e.value);
    if (n <= MAX_LIST_ITEMS) continue;
    ctx.report({
      code: 'input/too-many-items', severity: 'warning', range: ctx.valueRange(e),
      explanation: `${e.key} has ${count(n)} items; only the first ${count(MAX_LIST_ITEMS)} are checked (Nova reads them all).`,
    });
  }
};

export const limitRules: Rule[] = [limits];
