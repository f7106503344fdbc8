/**
 * The review model: one review is one round of a deep review. This zod schema is
 * the single source of truth for the review JSON format; `schemas/review.schema.json`
 * is generated from it (`npm run schemas`) and never edited by hand.
 *
 * Every normalised value that a reader derives from prose keeps the text it came
 * from in a `raw` field beside it, because the reports keep inventing variants.
 */
import * as z from 'zod';

/** The version of the review JSON format this server reads and writes. */
export const SCHEMA_VERSION = 1;

const md = (description: string) => z.string().describe(`${description} (Markdown)`);
const raw = () => z.string().optional().describe('The text this value was read from, as written');

/** Severity of a consolidated finding. */
export const Severity = z
  .enum(['critical', 'important', 'suggestion'])
  .describe('Severity of the consolidated finding: critical, important or suggestion');
export type Severity = z.infer<typeof Severity>;

/** Ordered from most to least severe, for comparisons and sorting. */
export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'important', 'suggestion'];

/** The stable family of a reviewer model; versions change, families do not. */
export const AgentFamily = z
  .enum(['claude', 'codex', 'gemini', 'qwen', 'gemma', 'glm', 'other'])
  .describe('Reviewer model family');
export type AgentFamily = z.infer<typeof AgentFamily>;

/** An inclusive, 1-based range of lines. */
export const LineRange = z
  .object({
    start: z.number().int().min(1).describe('First line, 1-based'),
    end: z.number().int().min(1).describe('Last line, 1-based and inclusive (equal to start for one line)'),
    approximate: z.boolean().optional().describe('Set when the report marks the range as approximate ("~325-340")'),
  })
  .describe('An inclusive range of lines');
export type LineRange = z.infer<typeof LineRange>;

/** A place in the reviewed code that a finding cites. */
export const Location = z
  .object({
    raw: raw(),
    path: z
      .string()
      .optional()
      .describe('Path as written in the report: repository-relative, a bare file name or a directory'),
    resolvedPath: z
      .string()
      .optional()
      .describe('Repository-relative path after resolving a bare file name against the workspace'),
    pathKind: z
      .enum(['repo-relative', 'basename', 'directory', 'commit-qualified', 'non-file'])
      .optional()
      .describe('What kind of target the citation names; non-file targets (a commit, the PR description) are kept as text only'),
    ranges: z.array(LineRange).default([]).describe('Cited line ranges; empty means the whole file'),
    commit: z.string().optional().describe('Commit the line numbers refer to, when it differs from the reviewed commit'),
    anchorText: z
      .string()
      .optional()
      .describe('The quoted code at the cited lines, used to find them again after the code moves'),
    unresolved: z.string().optional().describe('Why the path could not be resolved to one workspace file'),
  })
  .describe('A cited location');
export type Location = z.infer<typeof Location>;

/** A reviewer, or a role such as the orchestrator, credited with a finding. */
export const AgentRef = z
  .object({
    raw: raw(),
    family: AgentFamily.optional(),
    model: z.string().optional().describe('Model as written, e.g. "Claude Opus 4.7"'),
    role: z
      .enum(['orchestrator', 'consolidator', 'verified', 'other'])
      .optional()
      .describe('Set when the credit goes to a role rather than a reviewer model'),
    qualifier: z.string().optional().describe('Extra words inside the bracket, e.g. "as S5" or "pass 2"'),
  })
  .describe('A reviewer or role credited with a finding');
export type AgentRef = z.infer<typeof AgentRef>;

/** A fenced code block of a finding, with the role it plays. */
export const CodeBlock = z
  .object({
    info: z.string().default('').describe('Full info string of the fence, e.g. "go" or "bash repro"'),
    lang: z.string().optional().describe('First word of the info string'),
    role: z
      .enum(['snippet', 'fix', 'repro', 'repro-output', 'patch', 'example', 'other'])
      .default('other')
      .describe('What the block is for'),
    text: z.string().describe('Block content, without the fences'),
  })
  .describe('A fenced code block');
export type CodeBlock = z.infer<typeof CodeBlock>;

/** One diff of a fix, in one of the styles the reports use. */
export const FixDiff = z
  .object({
    format: z
      .enum(['plusminus', 'unified-context', 'unified-hunks', 'git-patch'])
      .describe('plusminus: bare -/+ lines; unified-context: with unchanged context lines; unified-hunks: with @@ headers; git-patch: full git diff'),
    text: z.string().describe('The diff as written'),
    files: z.array(z.string()).optional().describe('Files the diff names (git patches only); otherwise the finding\'s first location'),
  })
  .describe('A diff that implements a fix');
export type FixDiff = z.infer<typeof FixDiff>;

/** The fix a finding proposes. */
export const Fix = z
  .object({
    label: z.string().default('Fix').describe('Label as written: "Fix", "Fix (optional)", "Fix options, in order of preference"'),
    markdown: md('The fix paragraphs and blocks as written').default(''),
    options: z.array(z.string()).default([]).describe('Numbered alternative fixes, each as Markdown'),
    diffs: z.array(FixDiff).default([]),
    replacementCode: z.array(CodeBlock).default([]).describe('Code given as the fix instead of a diff'),
  })
  .describe('The proposed fix');
export type Fix = z.infer<typeof Fix>;

/** What the consolidator did with one reviewer's own finding. */
export const ReconciliationEvent = z
  .object({
    agent: AgentRef,
    pass: z.number().int().min(1).optional().describe('Review pass, for multi-pass reviews'),
    agentLocalId: z.string().optional().describe("The reviewer's own id for the finding, e.g. C1"),
    from: z.string().optional().describe('Severity the reviewer gave, or "unnumbered"'),
    to: z
      .string()
      .describe('What it became: a severity, or dropped, false-positive, merged, withdrawn, design-observation, acknowledged-limitation, testing-assessment, unresolved-feedback'),
    mergedInto: z.string().optional().describe('Consolidated finding id it was merged into'),
    categoryChange: z.object({ from: z.string(), to: z.string() }).optional(),
    verb: z.string().optional().describe('Verb as written: demoted, promoted, folded, ...'),
    reason: md('Why').optional(),
    source: z
      .enum(['retro-reconciliation', 'finding-body', 'retro-table', 'appendix', 'json'])
      .default('json')
      .describe("Where in the report the event was read; appendix: matched from the reviewer's own finding in the appendix of original reviews"),
    raw: raw(),
  })
  .describe('A reconciliation event: how a reviewer\'s severity became the consolidated one');
export type ReconciliationEvent = z.infer<typeof ReconciliationEvent>;

/** A reference from a finding to a finding of an earlier round. */
export const PriorRef = z
  .object({
    round: z.number().int().min(0).optional(),
    localId: z.string().optional().describe('Id of the finding in that round, e.g. S2'),
    relation: z
      .enum(['unaddressed', 'partially-unaddressed', 'deferred', 'extends', 'related', 'regressed', 'fixed', 'declined'])
      .describe('How this finding relates to the earlier one'),
    raw: z.string().describe('The reference as written, e.g. "(round 5 S2 unaddressed)"'),
  })
  .describe('A reference to a finding of an earlier round');
export type PriorRef = z.infer<typeof PriorRef>;

/** Actions a resolution records. */
export const ResolutionAction = z
  .enum(['fixed', 'skipped', 'test-written', 'commented', 'documentation-updated', 'documented', 'auto-resolved', 'deferred', 'other'])
  .describe('What was done about a finding');
export type ResolutionAction = z.infer<typeof ResolutionAction>;

/** What was done about one finding after the report was written. */
export const FindingResolution = z
  .object({
    action: ResolutionAction,
    raw: raw(),
    reason: md('Why').optional(),
    commit: z.string().optional(),
    date: z.string().optional(),
  })
  .describe('How a finding was resolved');
export type FindingResolution = z.infer<typeof FindingResolution>;

/** One consolidated finding of a review. */
export const Finding = z
  .object({
    id: z.string().min(1).describe('Report-local id as written: "I1", "S3", "important-2", "critical-1"'),
    severity: Severity,
    category: z.string().optional().describe('regression (introduced by the change), gap (pre-existing or missing), enhancement, documentation, ...'),
    tagRaw: z.string().optional().describe('The severity/category tag as written, e.g. "(important, regression)"'),
    notes: z.array(z.string()).default([]).describe('Parenthetical notes such as "(pass 2)" or "(downgraded from important)"'),
    title: md('Title'),
    agents: z.array(AgentRef).default([]).describe('Reviewers credited with the finding'),
    locations: z.array(Location).default([]).describe('Cited locations; the first is the primary one'),
    body: md('Everything after the header line').default(''),
    snippet: CodeBlock.optional().describe('The quoted code of the cited lines, when the body starts with it'),
    blocks: z.array(CodeBlock).default([]).describe('Every fenced block of the body, with its role'),
    fix: Fix.optional(),
    reconciliation: z.array(ReconciliationEvent).default([]),
    priorRefs: z.array(PriorRef).default([]),
    resolution: FindingResolution.optional(),
    struck: z
      .object({
        kind: z.enum(['struck', 'withdrawn', 'invalid']),
        reason: z.string().optional(),
      })
      .optional()
      .describe('Set when the report strikes the finding out, withdraws it or marks it invalid; such findings are not shown as open'),
    ordinal: z.number().int().min(1).optional().describe('1-based position within its severity section'),
    idStyle: z
      .enum(['letter', 'number', 'bracket', 'json'])
      .optional()
      .describe('How the report wrote the id: lettered (I1), numbered per section, bracketed ([CRITICAL]), or given in JSON'),
    span: z
      .object({ startLine: z.number().int().min(1), endLine: z.number().int().min(1) })
      .optional()
      .describe('Lines of the report the finding was read from, 1-based'),
    raw: raw(),
  })
  .describe('A consolidated finding');
export type Finding = z.infer<typeof Finding>;
export type FindingInput = z.input<typeof Finding>;

/** A reviewer of the round. */
export const Reviewer = z
  .object({
    family: AgentFamily,
    model: z.string().optional().describe('Model as written'),
    effort: z.string().optional().describe('Reasoning effort: xhigh, high, default, ...'),
    excluded: z.string().optional().describe('Why the reviewer did not take part, e.g. "429 capacity"'),
    raw: raw(),
  })
  .describe('A reviewer model');

/** A report section kept as Markdown. */
export const Section = z
  .object({
    heading: z.string().describe('Heading text as written'),
    kind: z
      .string()
      .describe('executive-summary, design-observations, testing-assessment, documentation-assessment, commit-structure, acknowledged-limitations, unresolved-feedback, retro, process-notes, resolution, status, prior-round-fixes, other'),
    level: z.number().int().min(1).max(6).optional(),
    markdown: md('Section content'),
  })
  .describe('A section of the report other than the findings');

/** One row of a Resolution table. */
export const ResolutionItem = z
  .object({
    ref: z.object({
      kind: z.string().describe('critical, important, suggestion, testing-gap, documentation-gap, design, other'),
      id: z.string().describe('Finding id or ordinal as written: "S3", "2"'),
      raw: z.string(),
    }),
    title: md('Finding title').optional(),
    action: ResolutionAction,
    actionRaw: z.string(),
    reason: md('Reason').optional(),
  })
  .describe('One row of the Resolution table');

/** One reviewer's original review, from the appendix. */
export const AgentReview = z
  .object({
    agent: AgentRef,
    pass: z.number().int().min(1).optional(),
    heading: z.string().optional(),
    markdown: md('The review as the agent wrote it'),
  })
  .describe("One reviewer's original review");

/** Everything about a review except its findings; validated apart so one bad finding never hides the rest. */
export const ReviewHeader = z.object({
  $schema: z.string().optional(),
  schemaVersion: z.literal(SCHEMA_VERSION).describe('Version of this format; always 1'),
  id: z.string().optional().describe('Review id; defaults to the file name without extension'),
  kind: z.enum(['review', 'supply-chain', 'ci-failures', 'architecture', 'other']).default('review'),
  title: z.string().optional().describe('Title line as written'),
  date: z.string().optional().describe('ISO 8601 date or date-time of the review'),
  dateRaw: z.string().optional(),
  repository: z
    .object({ slug: z.string().describe('owner/name'), url: z.string().optional(), raw: raw() })
    .optional()
    .describe('Reviewed repository'),
  series: z
    .string()
    .optional()
    .describe('Explicit series key; rounds with the same key belong together. Defaults to repository + PR number, else branch, else target'),
  round: z
    .object({ number: z.number().int().min(0), of: z.string().optional().describe('What the round counts, e.g. "PR #309" or "target"'), raw: raw() })
    .optional(),
  mode: z.object({ kind: z.string(), passes: z.number().int().min(1).optional(), raw: raw() }).optional(),
  author: z.object({ login: z.string().optional(), name: z.string().optional(), url: z.string().optional(), raw: raw() }).optional(),
  pr: z.object({ number: z.number().int().min(1), url: z.string().optional(), title: z.string().optional(), raw: raw() }).optional(),
  branch: z.object({ name: z.string(), base: z.string().optional(), raw: raw() }).optional(),
  target: z.string().optional().describe('Free-text review target when there is no PR or branch'),
  commits: z
    .array(z.object({ sha: z.string(), subject: z.string().optional() }))
    .default([])
    .describe('Commits under review, oldest first'),
  reviewedCommit: z
    .object({
      sha: z.string().describe('Commit the cited line numbers refer to'),
      source: z
        .enum(['header', 'html', 'commits', 'git', 'json'])
        .default('json')
        .describe('How it was chosen: the Review SHA row, the HTML rendering\'s blob links, the tip of the Commits row, the listed commit git finds the others lead to, or given in JSON'),
      note: z.string().optional().describe('Why this commit was chosen, e.g. "tip of the 17 listed commits: the row reads newest-first"'),
      raw: raw(),
    })
    .optional(),
  reviewers: z.array(Reviewer).default([]),
  verdict: z
    .object({
      label: z.enum(['merge-as-is', 'merge-with-fixes', 'merge-with-optional-fixes', 'merge-with-minor-fixes', 'approve-with-required-changes', 'rework', 'other']),
      rationale: md('Rationale').optional(),
      raw: raw(),
    })
    .optional(),
  wallClock: z.object({ seconds: z.number().min(0), raw: raw() }).optional().describe('Wall-clock time of the review'),
  updated: z.string().optional(),
  period: z.string().optional().describe('Reporting period, for CI-failure reports'),
  summary: md('Executive summary').optional(),
  sections: z.array(Section).default([]).describe('Design observations, testing assessment, limitations, retro, process notes and any other section'),
  resolution: z
    .object({
      addressed: z.string().optional(),
      commit: z.string().optional(),
      scope: z.string().optional(),
      items: z.array(ResolutionItem).default([]),
      markdown: md('The whole Resolution section').optional(),
    })
    .optional(),
  appendix: z.array(AgentReview).default([]).describe("The reviewers' original reviews"),
  extraHeader: z.record(z.string(), z.string()).optional().describe('Header rows this format does not name, verbatim'),
  source: z
    .object({
      format: z.enum(['json', 'markdown']),
      path: z.string().optional(),
      htmlPath: z.string().optional(),
      era: z.string().optional(),
    })
    .optional()
    .describe('Where this review was read from, when it was converted'),
});

/** A review: one round, with its findings. */
export const Review = ReviewHeader.extend({
  findings: z.array(Finding).default([]).describe('Consolidated findings, struck ones included and marked'),
}).describe('A deep-review round');
export type Review = z.infer<typeof Review>;
export type ReviewInput = z.input<typeof Review>;
export type ReviewHeader = z.infer<typeof ReviewHeader>;

/** The JSON Schema of the review format, as committed in schemas/review.schema.json. */
export function reviewJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Review, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    title: 'deep-review review',
    ...schema,
  };
}
