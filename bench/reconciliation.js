// node bench/reconciliation.js (after `npm run build`): how many reconciliation
// events the Markdown reader links across the shared corpus. Counts the
// reviewers' own findings in the appendices (with a severity) that end up as an
// event on a consolidated finding, by the appendix or by the retro naming them,
// and the (finding, credited reviewer) pairs that have an event from that reviewer.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readAppendix } from '../server/out/reports/markdown/appendix.js';
import { layoutReport } from '../server/out/reports/markdown/layout.js';
import { readMarkdownReport } from '../server/out/reports/markdown/readMarkdownReport.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CORPUS = path.resolve(here, '..', '..', 'shared', 'corpus', 'reports');

export function measureReconciliation(dir = CORPUS) {
  const total = { agentFindings: 0, agentFindingsLinked: 0, creditedPairs: 0, creditedPairsWithEvent: 0, findings: 0, findingsWithEvent: 0 };
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.md')).sort()) {
    const text = readFileSync(path.join(dir, name), 'utf8');
    const htmlPath = path.join(dir, name.replace(/\.md$/, '.html'));
    const html = existsSync(htmlPath) ? readFileSync(htmlPath, 'utf8') : undefined;
    const { review } = readMarkdownReport(text, { fileName: name, ...(html !== undefined ? { html } : {}) });
    if (review === undefined) continue;
    const own = readAppendix(text, layoutReport(text)).findings.filter((a) => a.severity !== undefined);
    const events = review.findings.flatMap((f) => f.reconciliation);
    const fromAppendix = new Set(events.filter((e) => e.source === 'appendix').map((e) => e.raw));
    const fromRetro = new Set(events.filter((e) => e.source === 'retro-reconciliation' && e.agentLocalId).map((e) => `${e.agent.family}|${e.agentLocalId}`));
    total.agentFindings += own.length;
    total.agentFindingsLinked += own.filter((a) => fromAppendix.has(a.raw) || (a.localId !== undefined && fromRetro.has(`${a.agent.family}|${a.localId}`))).length;
    for (const f of review.findings.filter((x) => x.struck === undefined)) {
      total.findings++;
      if (f.reconciliation.length > 0) total.findingsWithEvent++;
      for (const agent of f.agents.filter((a) => a.family !== undefined)) {
        total.creditedPairs++;
        if (f.reconciliation.some((e) => e.agent.family === agent.family)) total.creditedPairsWithEvent++;
      }
    }
  }
  return total;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!existsSync(CORPUS)) {
    console.log(`No corpus at ${CORPUS}; nothing to measure.`);
  } else {
    const t = measureReconciliation();
    console.log(`reviewers' own findings linked: ${t.agentFindingsLinked} of ${t.agentFindings}`);
    console.log(`(finding, credited reviewer) pairs with an event: ${t.creditedPairsWithEvent} of ${t.creditedPairs}`);
    console.log(`open findings with at least one event: ${t.findingsWithEvent} of ${t.findings}`);
  }
}
