/**
 * The `deepReview` settings: one zod schema is the source of every key's name,
 * default and description (the README and the VS Code manifest repeat them).
 */
import * as z from 'zod';
import { SEVERITY_ORDER, type Severity } from './model/review.js';

const DiagnosticLevel = z.enum(['error', 'warning', 'information', 'hint']);
/** How a finding severity is shown in the editor. */
export type DiagnosticLevel = z.infer<typeof DiagnosticLevel>;

/** The settings schema of section `deepReview`. */
export const Settings = z.object({
  directory: z
    .string()
    .min(1)
    .refine((d) => !d.split(/[\\/]/).includes('..'), 'must stay inside the workspace folder')
    .default('.deep-review')
    .describe('Name of the review directory at the root of each workspace folder (a relative path)'),
  rounds: z
    .enum(['latest', 'all'])
    .default('latest')
    .describe('Which rounds of a series supply diagnostics: only the latest round, or every round'),
  showResolved: z
    .boolean()
    .default(false)
    .describe('Also show findings the report marks as resolved (fixed, skipped, commented, ...), as hints that say so'),
  minimumSeverity: z
    .enum(['critical', 'important', 'suggestion'])
    .default('suggestion')
    .describe('Findings below this severity are not shown'),
  severityMap: z
    .object({
      critical: DiagnosticLevel.default('error'),
      important: DiagnosticLevel.default('warning'),
      suggestion: DiagnosticLevel.default('information'),
    })
    .default({ critical: 'error', important: 'warning', suggestion: 'information' })
    .describe('Diagnostic severity for each finding severity'),
  debounceMs: z
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(200)
    .describe('Milliseconds to wait after a report file changes before reading it (0 reads at once)'),
  maxFileSizeKb: z
    .number()
    .int()
    .min(1)
    .default(4096)
    .describe('Report files larger than this are not read, and say so'),
  cacheReports: z
    .boolean()
    .default(true)
    .describe('Keep parsed reports in the user cache directory (outside the workspace: $XDG_CACHE_HOME/deep-review-lsp or ~/.cache/deep-review-lsp), keyed by their content, so a restart does not parse them again'),
  diagnosticsMode: z
    .enum(['auto', 'push', 'pull'])
    .default('auto')
    .describe('push: publishDiagnostics; pull: answer textDocument/diagnostic and workspace/diagnostic; auto: pull when the client supports both, else push'),
});
/** Validated settings with every default filled in. */
export type Settings = z.infer<typeof Settings>;

/** The settings when the user has set nothing. */
export function defaultSettings(): Settings {
  return Settings.parse({});
}

/** Result of reading user settings: the settings in force, and why any part was refused. */
export interface SettingsResult {
  settings: Settings;
  errors: string[];
}

/**
 * Reads raw settings. Invalid keys are reported and the previous value of each
 * refused key is kept, so one typo never resets everything else.
 */
export function parseSettings(raw: unknown, previous: Settings = defaultSettings()): SettingsResult {
  if (raw === undefined || raw === null) return { settings: previous, errors: [] };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { settings: previous, errors: ['deepReview settings must be an object; keeping the previous settings'] };
  }
  const candidate: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  const errors: string[] = [];
  for (let attempt = 0; attempt < 20; attempt++) {
    const result = Settings.safeParse(candidate);
    if (result.success) return { settings: result.data, errors };
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? '');
      if (!(key in candidate)) continue;
      errors.push(`deepReview.${issue.path.join('.')}: ${issue.message}; keeping ${JSON.stringify((previous as Record<string, unknown>)[key])}`);
      candidate[key] = (previous as Record<string, unknown>)[key];
    }
  }
  return { settings: previous, errors: [...errors, 'deepReview settings could not be read; keeping the previous settings'] };
}

/** True when a finding of this severity passes the minimum-severity setting. */
export function meetsMinimum(severity: Severity, minimum: Severity): boolean {
  return SEVERITY_ORDER.indexOf(severity) <= SEVERITY_ORDER.indexOf(minimum);
}
