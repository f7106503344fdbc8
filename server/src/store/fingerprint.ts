/**
 * Finding fingerprints: what identifies "the same finding" across rounds and
 * edits. Built from the normalised title, the primary cited path and the anchor
 * text, never from line numbers, which change with every edit.
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../model/review.js';

/** The normalised parts a fingerprint is made of (kept for display and debugging). */
export interface FingerprintParts {
  title: string;
  path: string;
  anchor: string;
}

/** Lower-case words of a title, without Markdown marks and punctuation. */
export function normaliseTitle(title: string): string {
  return title
    .toLowerCase()
    .replace(/[`*_~[\]()"'“”‘’]/g, ' ')
    .replace(/[^\p{L}\p{N}./:-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Anchor text without indentation, blank lines or elisions, whitespace folded. */
export function normaliseAnchor(text: string | undefined): string {
  if (!text) return '';
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && line !== '...' && line !== '…')
    .join('\n')
    .replace(/[ \t]+/g, ' ');
}

/** The parts of a finding's fingerprint. */
export function fingerprintParts(finding: Finding): FingerprintParts {
  const primary = finding.locations[0];
  return {
    title: normaliseTitle(finding.title),
    path: (primary?.resolvedPath ?? primary?.path ?? '').replace(/\\/g, '/'),
    anchor: normaliseAnchor(primary?.anchorText),
  };
}

/** A stable id of a finding across rounds: 16 hex digits of a hash of its parts. */
export function computeFingerprint(finding: Finding): string {
  const parts = fingerprintParts(finding);
  return createHash('sha256').update(`${parts.title}\u0000${parts.path}\u0000${parts.anchor}`).digest('hex').slice(0, 16);
}
