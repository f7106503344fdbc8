/**
 * The triage file's format: what the user decided about findings (dismissed,
 * accepted, reopened), keyed by finding fingerprint so a decision carries over
 * to later rounds. The source of schemas/triage.schema.json.
 */
import * as z from 'zod';

/** Version of the triage format. */
export const TRIAGE_VERSION = 1;

/** What the user decided about a finding. */
export const TriageState = z
  .enum(['dismissed', 'accepted', 'open'])
  .describe('dismissed: not to be acted on (hidden or shown as a hint); accepted: to be acted on; open: reopened, as if never triaged');
/** What the user decided about a finding. */
export type TriageState = z.infer<typeof TriageState>;

/** One decision about a finding. */
export const TriageDecision = z
  .looseObject({
    state: TriageState,
    reason: z.string().optional().describe('Why, in the user\'s words or one of: false positive, won\'t fix, later'),
    by: z.string().optional().describe('Who decided (the OS user name, or the deepReview.triageAuthor setting)'),
    at: z.string().describe('When, as an ISO 8601 date-time'),
    round: z.number().int().min(0).optional().describe('Round of the finding the decision was made on'),
    series: z.string().optional().describe('The series, as shown to the user: "PR #336", "branch inspect-tab"'),
  })
  .describe('One triage decision');
/** One decision about a finding. */
export type TriageDecision = z.infer<typeof TriageDecision>;

/** The decisions about one finding, the latest in force. */
export const TriageEntry = TriageDecision.extend({
  finding: z
    .looseObject({
      id: z.string().describe('Report-local id when decided, e.g. I1'),
      title: z.string().describe('Title when decided'),
      path: z.string().optional().describe('Primary cited path'),
      report: z.string().optional().describe('Report file, relative to the workspace folder'),
    })
    .describe('Which finding this is, for people reading the file; the key is the fingerprint'),
  history: z.array(TriageDecision).default([]).describe('Earlier decisions, oldest first'),
}).describe('The triage of one finding: the decision in force, and the earlier ones');
/** The decisions about one finding. */
export type TriageEntry = z.infer<typeof TriageEntry>;

/** The whole triage file. */
export const Triage = z
  .looseObject({
    $schema: z.string().optional(),
    triageVersion: z.literal(TRIAGE_VERSION).describe('Version of this format; always 1'),
    findings: z
      .record(z.string().regex(/^[0-9a-f]{16}$/, 'a finding fingerprint is 16 hex digits'), TriageEntry)
      .default({})
      .describe('Triage by finding fingerprint (normalised title, primary path and anchor text)'),
  })
  .describe('Triage of deep-review findings, kept in the review directory and meant to be committed');
/** The whole triage file. */
export type Triage = z.infer<typeof Triage>;

/** An empty triage. */
export function emptyTriage(): Triage {
  return { triageVersion: TRIAGE_VERSION, findings: {} };
}

/** The JSON Schema of the triage file, as committed in schemas/triage.schema.json. */
export function triageJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Triage, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return { title: 'deep-review triage', ...schema };
}
