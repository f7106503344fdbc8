/**
 * Finds the Reconciliation statement of the Agent Performance Retro in its
 * written forms: `**Reconciliation.** …`, `**Reconciliation** — …`,
 * `Reconciliation: …`, or a `### Reconciliation` heading with bullets.
 */
import type { RootContent } from 'mdast';
import { plainText } from './source.js';

const LABEL = /^reconciliation\b\s*[:.—–-]*\s*/i;

/** The texts of the Reconciliation statements among a retro section's nodes; each bullet is one text. */
export function reconciliationStatements(nodes: readonly RootContent[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as RootContent;
    if (node.type === 'paragraph') {
      const text = plainText(node).trim();
      const label = LABEL.exec(text);
      if (label && (node.children[0]?.type === 'strong' || /^reconciliation\s*[:—–-]/i.test(text))) {
        const rest = text.slice(label[0].length).trim();
        if (rest !== '') out.push(rest);
      }
      continue;
    }
    if (node.type === 'heading' && /^reconciliation[:.]?$/i.test(plainText(node).trim())) {
      for (let j = i + 1; j < nodes.length; j++) {
        const next = nodes[j] as RootContent;
        if (next.type === 'heading' && next.depth <= node.depth) break;
        if (next.type === 'paragraph') out.push(plainText(next).trim());
        else if (next.type === 'list') for (const item of next.children) out.push(plainText(item).trim());
      }
    }
  }
  return out.filter((t) => t !== '');
}
