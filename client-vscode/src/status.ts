/**
 * The status bar item's text: how many deep-review findings are open, by the
 * diagnostic severity they are shown with.
 */

/** VS Code's DiagnosticSeverity values (Error 0 ... Hint 3). */
export type Severity = 0 | 1 | 2 | 3;

/** The diagnostics source the server sets. */
export const SOURCE = 'deep-review';

/** Status text and tooltip for the deep-review diagnostics among `diagnostics`. */
export function computeStatus(diagnostics: Iterable<{ source?: string; severity: Severity }>): { text: string; tooltip: string; count: number } {
  const counts = [0, 0, 0, 0];
  for (const d of diagnostics) if (d.source === SOURCE) counts[d.severity]! += 1;
  const count = counts.reduce((a, b) => a + b, 0);
  const icons = ['$(error)', '$(warning)', '$(info)', '$(light-bulb)'];
  const names = ['error', 'warning', 'information', 'hint'];
  const parts = counts.map((n, i) => (n > 0 ? `${icons[i]} ${n}` : '')).filter(Boolean);
  const text = count === 0 ? '$(check) Deep Review' : `Deep Review ${parts.join(' ')}`;
  const detail = counts.map((n, i) => (n > 0 ? `${n} ${names[i]}` : '')).filter(Boolean).join(', ');
  return { text, tooltip: count === 0 ? 'No open deep-review findings' : `${count} open deep-review finding(s): ${detail}`, count };
}
