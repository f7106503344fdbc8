/**
 * What a finding's body says beyond its prose: the quoted snippet, every fenced
 * block with its role, the fix, a `(severity, category)` tag, resolution marks
 * (`**Skipped.** …`, `**Fixed.**`), a withdrawal, and reconciliation sentences.
 */
import type { Code, List, Nodes, Paragraph, RootContent } from 'mdast';
import type { CodeBlock, Fix, FindingResolution, PriorRef, ReconciliationEvent, ResolutionAction, Severity } from '../../model/review.js';
import { classifyDiff, isDiffBlock, readFixLabel, roleFromInfo } from './fixes.js';
import { type Tag, leadingTag, parsePriorRefs, parseTag, trailingTag } from './notes.js';
import { bodyEvents, sentences } from './reconciliation.js';
import { type Part, endOf, plainText, sourceOf, startOf } from './source.js';
import { compact, squash, trimMarkdown } from './text.js';

/** What the body of one finding holds. */
export interface BodyInfo {
  snippet?: CodeBlock;
  blocks: CodeBlock[];
  fix?: Fix;
  tag?: Tag;
  mark?: FindingResolution;
  withdrawn?: string;
  events: ReconciliationEvent[];
  /** References to earlier rounds in the prose: "Round 9 I2 already noted …", "… as round 1's S8". */
  priorRefs: PriorRef[];
}

const MARKS: ReadonlyArray<[RegExp, ResolutionAction]> = [
  [/^fixed$/i, 'fixed'],
  [/^resolved$/i, 'fixed'],
  [/^skipped$/i, 'skipped'],
  [/^declined$/i, 'skipped'],
  [/^documented$/i, 'documented'],
  [/^deferred$/i, 'deferred'],
  [/^addressed$/i, 'other'],
];

/**
 * The end of a lead-in that presents the code after it as the change to make:
 * "…raise the rest to `log.Error`:", "Add a guard like this:", "Proposed:".
 * A lead-in that only shows code ("The caller does this:") has none of these words.
 */
const PROPOSAL_LEAD =
  /\b(?:should|instead|replace\w*|change\w*|rewrite|switch|use|raise|lower|add|insert|wrap|guard|move|make|prefer|consider|propos\w*|suggest\w*|missing|like this|for example|e\.g\.|fix\w*|drop|remove|return)\b[^.!?]*:\s*$/i;

/** True when a lead-in paragraph presents the block after it as proposed code. */
export function presentsProposal(leadIn: string): boolean {
  // Code spans may hold dots (`log.Error`) that are no sentence end.
  return PROPOSAL_LEAD.test(leadIn.replace(/`[^`\n]*`/g, 'code').trimEnd());
}

/**
 * Reads the body block nodes of a finding (`severity` is the consolidated one).
 * `leadIn` is prose on the header line: when it presents the first block as
 * proposed code, that block is the fix, not the quoted snippet.
 */
export function readBody(part: Part, nodes: readonly RootContent[], severity: Severity, leadIn?: string): BodyInfo {
  const info: BodyInfo = { blocks: [], events: [], priorRefs: [] };
  const paragraphs = nodes.filter((n): n is Paragraph => n.type === 'paragraph');
  const labelIndex = nodes.findIndex((n) => n.type === 'paragraph' && readFixLabel(plainText(n)) !== undefined);
  const trailing = new Set<RootContent>();

  for (const p of paragraphs) {
    const text = plainText(p);
    const mark = readMark(p);
    if (mark !== undefined) {
      info.mark ??= mark;
      trailing.add(p);
      continue;
    }
    const whole = text.trim();
    const withdrawn = /^\(?\s*(withdrawn\b[^)]*)\)?\.?$/i.exec(whole);
    if (withdrawn?.[1] !== undefined) {
      info.withdrawn = withdrawn[1].trim();
      trailing.add(p);
      continue;
    }
    if (whole.startsWith('(') && whole.endsWith(')') && whole.indexOf(')') === whole.length - 1) {
      // The tag as written, code spans included, without the italics around it.
      const written = sourceOf(part, p).trim().replace(/^([*_])(.*)\1$/s, '$2').trim();
      const tag = parseTag(whole.slice(1, -1), written);
      if (tag !== undefined) {
        info.tag ??= tag;
        trailing.add(p);
        continue;
      }
    }
    info.tag ??= trailingTag(whole) ?? leadingTag(whole);
    // Reasons are Markdown, so the sentences are read from the source, code spans included.
    const source = sourceOf(part, p);
    for (const event of bodyEvents(source, severity)) info.events.push(event);
    if (/\b(?:round|R)[ -]?\d/i.test(source)) {
      for (const sentence of sentences(source)) {
        for (const ref of parsePriorRefs(sentence, squash(sentence).slice(0, 300))) {
          if (!info.priorRefs.some((r) => r.round === ref.round && r.localId === ref.localId)) info.priorRefs.push(ref);
        }
      }
    }
  }

  const fixBlocks: CodeBlock[] = [];
  const proposals: Array<{ lead?: Paragraph; block: CodeBlock }> = [];
  nodes.forEach((node, index) => {
    for (const code of codeNodes(node)) {
      const block = codeBlock(code);
      const infoRole = roleFromInfo(block.info);
      const previous = index > 0 ? nodes[index - 1] : undefined;
      const lead = node === code && previous?.type === 'paragraph' && presentsProposal(sourceOf(part, previous)) ? previous : undefined;
      if (infoRole !== undefined) block.role = infoRole;
      else if (index === 0 && node === code && !isDiffBlock(block)) block.role = leadIn !== undefined && presentsProposal(leadIn) ? 'fix' : 'snippet';
      else if (labelIndex !== -1 && index > labelIndex) block.role = 'fix';
      else if (labelIndex === -1 && isDiffBlock(block)) block.role = 'fix';
      else if (labelIndex === -1 && lead !== undefined) block.role = 'fix';
      if (labelIndex === -1 && block.role === 'fix') proposals.push({ ...(lead ? { lead } : {}), block });
      info.blocks.push(block);
      if (block.role === 'fix' || block.role === 'patch') fixBlocks.push(block);
    }
  });
  const snippet = info.blocks[0]?.role === 'snippet' ? info.blocks[0] : undefined;
  if (snippet) info.snippet = snippet;

  const diffs = fixBlocks.filter(isDiffBlock).map((b) => classifyDiff(b.text, b.info));
  const replacementCode = fixBlocks.filter((b) => !isDiffBlock(b) && b.role === 'fix');
  if (labelIndex !== -1) {
    const labelNode = nodes[labelIndex] as Paragraph;
    const label = readFixLabel(plainText(labelNode));
    let last = nodes.length - 1;
    while (last > labelIndex && trailing.has(nodes[last] as RootContent)) last--;
    const markdown = trimMarkdown(part.source.text.slice(startOf(part, labelNode), endOf(part, nodes[last] as RootContent)));
    const next = nodes[labelIndex + 1];
    const options = next?.type === 'list' ? listItems(part, next) : [];
    info.fix = { label: label?.label ?? 'Fix', markdown, options, diffs, replacementCode };
  } else if (diffs.length > 0 || replacementCode.length > 0) {
    // A diff, or code after a lead-in that proposes it, with no "Fix" label is still the
    // proposed change; the label stays empty and the lead-in is kept with the code.
    const markdown = proposals
      .map(({ lead, block }) => [lead ? sourceOf(part, lead).trim() : '', `\`\`\`${block.info}\n${block.text}\n\`\`\``].filter(Boolean).join('\n\n'))
      .join('\n\n');
    info.fix = { label: '', markdown, options: [], diffs, replacementCode };
  }
  if (info.fix === undefined) {
    // "… Fix: `strings.TrimPrefix(line, "  ")`." inside a paragraph (or on the header line).
    for (const text of [leadIn ?? '', ...paragraphs.map((p) => sourceOf(part, p))]) {
      const inline = /(?:^|[.!?;)]\s+)(?:\*\*)?(Fix(?: \([^)\n]{0,60}\))?):(?:\*\*)?\s+(\S[^\n]*)$/.exec(text.trim());
      if (inline?.[2] !== undefined) {
        info.fix = { label: inline[1] ?? 'Fix', markdown: `${inline[1]}: ${inline[2]}`, options: [], diffs: [], replacementCode: [] };
        break;
      }
    }
  }
  return info;
}

function readMark(p: Paragraph): FindingResolution | undefined {
  const first = p.children[0];
  if (first?.type !== 'strong') return undefined;
  const word = plainText(first).trim().replace(/[.:]$/, '').trim();
  const action = MARKS.find(([re]) => re.test(word))?.[1];
  if (action === undefined) return undefined;
  const raw = plainText(p).trim();
  const reason = raw.slice(plainText(first).length).replace(/^[\s.:,—–-]+/, '').trim();
  return compact({ action, raw, reason: reason === '' ? undefined : reason });
}

function codeNodes(node: Nodes): Code[] {
  if (node.type === 'code') return [node];
  if (!('children' in node)) return [];
  const out: Code[] = [];
  for (const child of node.children as Nodes[]) out.push(...codeNodes(child));
  return out;
}

function codeBlock(code: Code): CodeBlock {
  const info = [code.lang, code.meta].filter((s): s is string => typeof s === 'string' && s !== '').join(' ');
  return compact({ info, lang: code.lang ?? undefined, role: 'other' as CodeBlock['role'], text: code.value });
}

function listItems(part: Part, list: List): string[] {
  return list.children.map((item) => {
    const first = item.children[0];
    const last = item.children[item.children.length - 1];
    if (first === undefined || last === undefined) return '';
    // Continuation lines are indented to the item's content column; the first line is not.
    const start = startOf(part, first);
    const column = start - (part.source.text.lastIndexOf('\n', start - 1) + 1);
    const [head = '', ...rest] = part.source.text.slice(start, endOf(part, last)).split('\n');
    return [head, ...rest.map((line) => line.replace(new RegExp(`^ {0,${column}}`), ''))].join('\n').trim();
  });
}

