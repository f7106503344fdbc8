import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { refineReviewedCommit } from '../../server/src/anchoring/reviewedCommit.js';
import { runGit, WorkspaceFiles, type GitRunner } from '../../server/src/anchoring/resolvePaths.js';
import { Review } from '../../server/src/model/review.js';
import { chooseReviewedCommit } from '../../server/src/reports/markdown/reviewedCommit.js';
import { readMarkdownReport } from '../../server/src/reports/markdown/readMarkdownReport.js';
import { loadReport } from '../../server/src/store/reviewDirectory.js';
import { corpusAvailable, corpusFiles } from './markdown/corpus.js';
import { realcodeAvailable, realcodeRepository, realcodeSource, realcodeStems } from '../support/realcode.js';
import { TempWorkspace } from '../support/workspace.js';

const entry = (sha: string, subject: string) => ({ sha, subject, outOfScope: false });

describe('choosing the reviewed commit from the report alone', () => {
  it('reads a row whose review follow-ups are listed above the work as newest-first, and ignores HTML links that name the oldest', () => {
    const chosen = chooseReviewedCommit({
      commits: [entry('c484dab', 'ci: capture memory'), entry('66eb50e', 'Address review round 2 findings for PR #295'), entry('93359f7', 'Add engine controller'), entry('536ccb2', 'Rosetta is now a vz driver option')],
      htmlSha: '536ccb243012a21e665e5b9d7f0fdc99ab8e5abe',
      era: 'E3',
    });
    expect(chosen).toEqual({
      sha: 'c484dab',
      source: 'commits',
      note: "tip of the 4 listed commits: the row reads newest-first (review follow-ups are listed above the work they address); the HTML rendering's blob links name the oldest, 536ccb2, not the tip",
    });
  });

  it('reads the work listed above its follow-ups as oldest-first', () => {
    const chosen = chooseReviewedCommit({
      commits: [entry('fa00ee9b2', 'feat(containers): add container Info tab'), entry('39441e432', 'fix(containers): address review feedback on Info tab'), entry('68a83c244', 'Fix cosmetic alignment issues')],
      era: 'E3',
    });
    expect(chosen?.sha).toBe('68a83c244');
  });

  it('without cues, takes the end of the row the HTML links name, with their full SHA', () => {
    const sha = 'c3e2de831b780c40f4efe12130b5130c188df113';
    expect(chooseReviewedCommit({ commits: [entry('c3e2de831', 'Clear stale progress'), entry('53ed59910', 'Fix hang')], htmlSha: sha, era: 'E2' })).toEqual({
      sha,
      source: 'html',
      note: "the HTML rendering's blob links name the first of the 2 listed commits, read as the tip",
    });
  });

  it('without cues or HTML, follows the order of the report\'s era (E3 newest-first, others oldest-first)', () => {
    const commits = [entry('c3e2de831', 'Clear stale progress'), entry('53ed59910', 'Fix hang')];
    expect(chooseReviewedCommit({ commits, era: 'E3' })?.sha).toBe('c3e2de831');
    expect(chooseReviewedCommit({ commits, era: 'E2' })?.sha).toBe('53ed59910');
  });

  it('prefers the Review SHA row over everything else', () => {
    const chosen = chooseReviewedCommit({ reviewSha: { sha: 'e1530e674ccd', raw: '`e1530e674ccd`' }, commits: [entry('b0825a2aa', 'Add restart button')], htmlSha: 'a'.repeat(40) });
    expect(chosen).toEqual({ sha: 'e1530e674ccd', source: 'header', raw: '`e1530e674ccd`' });
  });

  it('names the repository from the HTML blob links when no Repo row or PR URL does', () => {
    const text = '# Deep Review: x\n\n| | |\n|---|---|\n| **Commits** | `536ccb2` Thing |\n\n## Suggestions\n\nNone.\n';
    const html = '<a href="https://github.com/rancher-sandbox/rancher-desktop-2/blob/536ccb243012a21e665e5b9d7f0fdc99ab8e5abe/cmd/rdd/set.go#L1-L5">set.go</a>';
    const review = readMarkdownReport(text, { fileName: 'x.md', html }).review;
    expect(review?.repository).toEqual({ slug: 'rancher-sandbox/rancher-desktop-2', url: 'https://github.com/rancher-sandbox/rancher-desktop-2' });
    expect(review?.reviewedCommit).toMatchObject({ sha: '536ccb243012a21e665e5b9d7f0fdc99ab8e5abe', source: 'html' });
  });
});

describe.skipIf(!realcodeAvailable || !corpusAvailable)('the reviewed commit of every report with real code equals SOURCE.json', () => {
  const stems = realcodeStems();
  it.each(stems)('%s, without git', (stem) => {
    const source = realcodeSource(stem);
    const { text, html } = corpusFiles(source.report);
    const chosen = readMarkdownReport(text, { fileName: source.report, ...(html !== undefined ? { html } : {}) }).review?.reviewedCommit;
    expect(chosen?.sha.length).toBeGreaterThanOrEqual(7);
    expect(source.reviewedCommit.startsWith(chosen?.sha ?? '-'), `${chosen?.sha} (${chosen?.note}) vs ${source.reviewedCommit}`).toBe(true);
  });

  it.each(stems)('%s, in a two-commit git history of its files', async (stem) => {
    const source = realcodeSource(stem);
    const ws = realcodeRepository(stem);
    try {
      const { text, html } = corpusFiles(source.report);
      const file = ws.write(`.deep-review/${source.report}`, text);
      if (html !== undefined) ws.write(`.deep-review/${source.report.replace(/\.md$/, '.html')}`, html);
      const read = await loadReport(file, { maxBytes: 8 << 20, root: ws.root }, new WorkspaceFiles(ws.root, runGit));
      const chosen = read.result.review?.reviewedCommit;
      // The upstream commits are not in this history, so git cannot overrule the report.
      expect(chosen?.source).not.toBe('git');
      expect(source.reviewedCommit.startsWith(chosen?.sha ?? '-')).toBe(true);
      // Every cited file is in the history, bare names and all: none is left unresolved.
      expect(read.result.problems.filter((p) => p.code === 'unresolved-path')).toEqual([]);
    } finally {
      ws.dispose();
    }
  });

  it('gets all of them right', () => {
    const right = stems.filter((stem) => {
      const source = realcodeSource(stem);
      const { text, html } = corpusFiles(source.report);
      const sha = readMarkdownReport(text, { fileName: source.report, ...(html !== undefined ? { html } : {}) }).review?.reviewedCommit?.sha;
      return sha !== undefined && source.reviewedCommit.startsWith(sha);
    });
    expect(`${right.length}/${stems.length}`).toBe(`${stems.length}/${stems.length}`);
  });
});

describe('checking the reviewed commit with git', () => {
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

  it('takes the listed commit the others lead to, whatever order the row is written in', async () => {
    const ws = new TempWorkspace();
    try {
      const git = (...args: string[]) => execFileSync('git', args, { cwd: ws.root, env }).toString().trim();
      git('init', '-q');
      const shas: string[] = [];
      for (const subject of ['First piece', 'Second piece', 'Third piece']) {
        ws.write('a.go', `${subject}\n`);
        git('add', '-A');
        git('commit', '-qm', subject);
        shas.push(git('rev-parse', 'HEAD'));
      }
      // Newest-first in an era that writes oldest-first: the report alone picks the oldest.
      const short = shas.map((s) => s.slice(0, 9));
      const text = `# Deep Review: x\n\n| | |\n|---|---|\n| **Commits** | \`${short[2]}\` Third piece<br>\`${short[1]}\` Second piece<br>\`${short[0]}\` First piece |\n\n## Suggestions\n\n1. **Thing** — \`a.go:1\` [Claude Opus 4.6] (suggestion, gap)\n\nBody.\n`;
      const file = ws.write('.deep-review/r.md', text);
      const alone = readMarkdownReport(text, { fileName: 'r.md' }).review?.reviewedCommit;
      expect(alone?.sha).toBe(short[0]);
      const read = await loadReport(file, { maxBytes: 1 << 20, root: ws.root }, new WorkspaceFiles(ws.root, runGit));
      expect(read.result.review?.reviewedCommit).toEqual({
        sha: shas[2],
        source: 'git',
        note: `the listed commit ${short[2]} that the other 2 of 3 lead to in the local repository; the report alone pointed at ${short[0]} (${alone?.note})`,
      });
    } finally {
      ws.dispose();
    }
  });

  it('when git cannot order the listed commits, prefers one under which every cited path exists over HTML links that lack some', async () => {
    const ws = new TempWorkspace();
    try {
      const git = (...args: string[]) => execFileSync('git', args, { cwd: ws.root, env }).toString().trim();
      git('init', '-q');
      ws.write('a.go', 'old\n');
      git('add', '-A');
      git('commit', '-qm', 'Old base');
      const old = git('rev-parse', 'HEAD');
      // An unrelated history: git cannot say which of the two comes first.
      git('checkout', '-q', '--orphan', 'other');
      ws.write('pkg/b.go', 'new\n');
      git('add', '-A');
      git('commit', '-qm', 'New work');
      const fresh = git('rev-parse', 'HEAD');
      const text = `# Deep Review: x\n\n| | |\n|---|---|\n| **Commits** | \`${fresh.slice(0, 9)}\` New work<br>\`${old.slice(0, 9)}\` Old base |\n\n## Suggestions\n\n1. **Thing** — \`pkg/b.go:1\` [Claude Opus 4.6] (suggestion, gap)\n\nBody.\n`;
      const html = `<a href="https://github.com/o/r/blob/${old}/pkg/b.go#L1-L2">b.go</a>`;
      const file = ws.write('.deep-review/r.md', text);
      ws.write('.deep-review/r.html', html);
      expect(readMarkdownReport(text, { fileName: 'r.md', html }).review?.reviewedCommit).toMatchObject({ sha: old, source: 'html' });
      const read = await loadReport(file, { maxBytes: 1 << 20, root: ws.root }, new WorkspaceFiles(ws.root, runGit));
      expect(read.result.review?.reviewedCommit).toMatchObject({ sha: fresh, source: 'git' });
      expect(read.result.review?.reviewedCommit?.note).toMatch(/^the listed commit [0-9a-f]{9}, under which all 1 cited paths exist; 1 of them do not exist at [0-9a-f]{12} /);
    } finally {
      ws.dispose();
    }
  });

  it('hands git only hex ids, and leaves a Review SHA alone', async () => {
    const calls: string[][] = [];
    const git: GitRunner = async (_cwd, args) => {
      calls.push(args);
      return undefined;
    };
    const review = Review.parse({
      schemaVersion: 1,
      commits: [{ sha: '--upload-pack=evil' }, { sha: 'abc1234' }, { sha: 'def5678' }],
      reviewedCommit: { sha: 'def5678', source: 'commits' },
    });
    await refineReviewedCommit(review, '/nowhere', git);
    expect(calls).toEqual([
      ['rev-parse', '--verify', '--quiet', 'abc1234^{commit}'],
      ['rev-parse', '--verify', '--quiet', 'def5678^{commit}'],
    ]);
    calls.length = 0;
    const fromHeader = Review.parse({ schemaVersion: 1, commits: [{ sha: 'abc1234' }, { sha: 'def5678' }], reviewedCommit: { sha: 'abc1234', source: 'header' } });
    await refineReviewedCommit(fromHeader, '/nowhere', git);
    expect(calls).toEqual([]);
  });
});
