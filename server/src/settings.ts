/**
 * The `deepReview` settings: one zod schema is the source of every key's name,
 * default and description (the README and the VS Code manifest repeat them).
 */
import * as path from 'node:path';
import * as z from 'zod';
import { SEVERITY_ORDER, type Severity } from './model/review.js';
import { ROUND_PLACEHOLDERS } from './rounds/placeholders.js';

const DiagnosticLevel = z.enum(['error', 'warning', 'information', 'hint']);
/** How a finding severity is shown in the editor. */
export type DiagnosticLevel = z.infer<typeof DiagnosticLevel>;

/** The settings schema of section `deepReview`. */
export const Settings = z.object({
  directory: z
    .string()
    .min(1)
    .refine((d) => !d.split(/[\\/]/).includes('..'), 'must stay inside the workspace folder')
    .superRefine((d, ctx) => {
      const reason = directoryReason(d);
      if (reason) ctx.addIssue({ code: 'custom', message: reason });
    })
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
  anchorSimilarity: z
    .number()
    .min(0.5)
    .max(1)
    .default(0.8)
    .describe(
      "How alike (0.5 to 1) today's code must be to a finding's quoted snippet to place the finding there once the exact snippet is gone; below it the finding is shown as outdated at the top of the file",
    ),
  fixedInWorkingTree: z
    .enum(['hint', 'show', 'hide', 'unchanged'])
    .default('hint')
    .describe(
      'A finding whose fix is already in the working tree (its new lines there, its old lines gone) says "fixed in working tree, awaiting re-review" and is shown: hint: as a faded hint; show: at its own severity; hide: not at all; unchanged: as any other finding, without checking',
    ),
  cacheReports: z
    .boolean()
    .default(true)
    .describe('Keep parsed reports in the user cache directory (outside the workspace: $XDG_CACHE_HOME/deep-review-lsp or ~/.cache/deep-review-lsp), keyed by their content, so a restart does not parse them again'),
  diagnosticsMode: z
    .enum(['auto', 'push', 'pull'])
    .default('auto')
    .describe('push: publishDiagnostics; pull: answer textDocument/diagnostic and workspace/diagnostic; auto: pull when the client supports both, else push'),
  roundCommand: z
    .array(z.string())
    .default([])
    .refine((argv) => argv.length === 0 || argv[0]!.trim() !== '', 'the first element must name the program')
    .superRefine((argv, check) => {
      const unknown = unknownPlaceholders(argv);
      if (unknown.length > 0) {
        check.addIssue({ code: 'custom', message: `unknown placeholder ${unknown.join(', ')} (known: ${ROUND_PLACEHOLDERS.map((name) => `{${name}}`).join(' ')})` });
      }
    })
    .describe(
      'The program that starts the next review round, as an argv array (never run through a shell), run in the workspace folder. Placeholders {series} {pr} {branch} {round} {nextRound} {reviewSha} {previousReport} {triageFile} {workspaceFolder} are replaced in each argument and also set as DEEP_REVIEW_* environment variables. Only your user settings or initializationOptions name it, never a file of the repository',
    ),
  roundTimeoutSeconds: z
    .number()
    .int()
    .min(1)
    .default(3600)
    .describe('A round command still running after this many seconds is stopped, with every process it started'),
  dismissed: z
    .enum(['hide', 'hint'])
    .default('hide')
    .describe('Findings dismissed in the triage file: hidden, or shown as hints that say so'),
  triageAuthor: z
    .string()
    .default('')
    .describe('The name triage decisions are recorded under; empty: the operating system user name'),
});
/**
 * Why a review directory name is refused, or undefined. Only the name is checked
 * here; the server also refuses a directory whose real path leaves the folder.
 */
export function directoryReason(directory: string): string | undefined {
  // Control characters (NUL above all) make paths that no system call or URI handles alike.
  if (/[\u0000-\u001f\u007f]/.test(directory)) return 'must not contain control characters';
  if (path.posix.isAbsolute(directory) || path.win32.isAbsolute(directory) || /^[a-zA-Z]:/.test(directory)) {
    return 'must be a path relative to the workspace folder, not an absolute path';
  }
  if (directory.startsWith('~')) return 'must be relative to the workspace folder ("~" is not expanded)';
  const normalised = path.posix.normalize(directory.replace(/\\/g, '/')).replace(/\/+$/, '');
  if (normalised === '.' || normalised === '') return 'must name a directory inside the workspace folder, not the folder itself';
  return undefined;
}

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

function unknownPlaceholders(argv: readonly string[]): string[] {
  const known = new Set<string>(ROUND_PLACEHOLDERS);
  return [...new Set(argv.flatMap((arg) => [...arg.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1]!)))].filter((name) => !known.has(name)).map((name) => `{${name}}`);
}

/** True when a finding of this severity passes the minimum-severity setting. */
export function meetsMinimum(severity: Severity, minimum: Severity): boolean {
  return SEVERITY_ORDER.indexOf(severity) <= SEVERITY_ORDER.indexOf(minimum);
}
