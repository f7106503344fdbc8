/**
 * The placeholders of the round command: what each stands for in a series, put
 * into each argument of the argv array and exported as environment variables.
 * Values that come from report files are cleaned, since reports are untrusted.
 */
import * as path from 'node:path';
import type { Review } from '../model/review.js';

/** Placeholder names, written `{name}` in the round command. */
export const ROUND_PLACEHOLDERS = ['series', 'pr', 'branch', 'round', 'nextRound', 'reviewSha', 'previousReport', 'triageFile', 'workspaceFolder'] as const;
/** A placeholder name. */
export type RoundPlaceholder = (typeof ROUND_PLACEHOLDERS)[number];
/** A value for every placeholder ('' when unknown). */
export type RoundValues = Record<RoundPlaceholder, string>;

/** What the values are computed from. */
export interface RoundSubject {
  /** Absolute path of the workspace folder. */
  root: string;
  /** Series key within the folder ("pr:336"), or '' when there is no report yet. */
  series: string;
  /** The latest round's review and report file, when there is one. */
  latest?: { review: Review; file: string };
  /** Absolute path of the triage file. */
  triageFile: string;
}

/** The value of every placeholder for a series. */
export function computeRoundValues(subject: RoundSubject): RoundValues {
  const review = subject.latest?.review;
  const round = review?.round?.number;
  const sha = review?.reviewedCommit?.sha ?? '';
  return {
    series: clean(subject.series),
    pr: review?.pr ? String(review.pr.number) : '',
    branch: clean(review?.branch?.name ?? ''),
    round: round === undefined ? '' : String(round),
    nextRound: String((round ?? 0) + 1),
    reviewSha: /^[0-9a-f]{7,64}$/i.test(sha) ? sha : '',
    previousReport: subject.latest ? path.resolve(subject.latest.file) : '',
    triageFile: subject.triageFile,
    workspaceFolder: subject.root,
  };
}

/** Control characters (a NUL would make spawn throw; a newline would forge log lines) are dropped. */
function clean(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]/g, '');
}

/** Each argument with its placeholders replaced; text that names no placeholder is kept as written. */
export function substitutePlaceholders(argv: readonly string[], values: RoundValues): string[] {
  return argv.map((arg) => arg.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => (name in values ? values[name as RoundPlaceholder] : whole)));
}

/** The environment variable of a placeholder: nextRound -> DEEP_REVIEW_NEXT_ROUND. */
export function environmentName(placeholder: RoundPlaceholder): string {
  return `DEEP_REVIEW_${placeholder.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** Every placeholder as an environment variable. */
export function computeRoundEnvironment(values: RoundValues): Record<string, string> {
  return Object.fromEntries(ROUND_PLACEHOLDERS.map((name) => [environmentName(name), values[name]]));
}
