/**
 * The quick pick of `deepReview.listFindings` run from the Command Palette:
 * one entry per finding, most severe first, each with the place to open.
 */

/** One entry of the pick, with where it leads (an LSP position: 0-based line). */
export interface FindingPick {
  label: string;
  description: string;
  detail?: string;
  uri: string;
  line: number;
}

const RANK: Record<string, number> = { critical: 0, important: 1, suggestion: 2 };

/** Entries for a listFindings answer; items without a file are left out. */
export function computeFindingPicks(list: unknown): FindingPick[] {
  if (!Array.isArray(list)) return [];
  const picks: (FindingPick & { rank: number })[] = [];
  for (const raw of list as Record<string, unknown>[]) {
    if (!raw || typeof raw !== 'object') continue;
    const location = raw.location as { uri?: string; range?: { start: { line: number } } } | undefined;
    const uri = (typeof raw.uri === 'string' && raw.uri) || (typeof raw.file === 'string' && raw.file) || location?.uri;
    if (!uri) continue;
    const range = (raw.range as { start: { line: number } } | undefined) ?? location?.range;
    const line = range?.start.line ?? (typeof raw.line === 'number' ? raw.line - 1 : 0);
    const severity = typeof raw.severity === 'string' ? raw.severity : '';
    const id = typeof raw.id === 'string' ? raw.id : '';
    const title = typeof raw.title === 'string' ? raw.title : '';
    picks.push({
      rank: RANK[severity] ?? 3,
      label: id ? `${id}: ${title}` : title,
      description: [severity, typeof raw.round === 'string' ? raw.round : ''].filter(Boolean).join(' · '),
      detail: `${uri.replace(/^file:\/\//, '')}:${line + 1}`,
      uri,
      line,
    });
  }
  return picks.sort((a, b) => a.rank - b.rank || a.uri.localeCompare(b.uri) || a.line - b.line).map(({ rank: _rank, ...pick }) => pick);
}
