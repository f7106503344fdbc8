/**
 * Finds the Reconciliation statement of the Agent Performance Retro in its
 * written forms: `**Reconciliation.** …`, `**Reconciliation** — …`,
 * `Reconciliation: …`, or a `### Reconciliation` heading with bullets.
 */
import type { RootContent } from 'mdast';
import { type Part, plainText, sourceOf } from './source.js';
import { dedent } from './text.js';

const LABEL = /^reconciliation\b\s*[:.—–-]*\s*/i;

/** The Markdown of the Reconciliation statements among a retro section's nodes; each bullet is one text. */
export function reconciliationStatements(part: Part, nodes: readonly RootContent[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as RootContent;
    if (node.type === 'paragraph') {
      const text = plainText(node).trim();
      const label = LABEL.exec(text);
      if (label && (node.children[0]?.type === 'strong' || /^reconciliation\s*[:—–-]/i.test(text))) {
        const rest = withoutLabel(sourceOf(part, node));
        if (rest !== '') out.push(rest);
      }
      continue;
    }
    if (node.type === 'heading' && /^reconciliation[:.]?$/i.test(plainText(node).trim())) {
      for (let j = i + 1; j < nodes.length; j++) {
        const next = nodes[j] as RootContent;
        if (next.type === 'heading' && next.depth <= node.depth) break;
        if (next.type === 'paragraph') out.push(sourceOf(part, next).trim());
        else if (next.type === 'list') {
          for (const item of next.children) out.push(dedent(sourceOf(part, item).replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '')).trim());
        }
      }
    }
  }
  return out.filter((t) => t !== '');
}

/** The statement without its label: `**Reconciliation.**`, `**Reconciliation**:`, `Reconciliation —`. */
function withoutLabel(source: string): string {
  let text = source.trimStart();
  const bold = text.startsWith('**') || text.startsWith('__') ? text.slice(0, 2) : undefined;
  if (bold !== undefined) {
    const close = text.indexOf(bold, 2);
    text = close !== -1 && close < 40 ? text.slice(2, close) + text.slice(close + 2) : text.slice(2);
  }
  return text.replace(LABEL, '').trim();
}
