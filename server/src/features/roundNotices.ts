/**
 * Tells the user, once, when a visible round shows nothing or hides nothing it
 * should: "12 findings of PR #336 round 6 are resolved (showResolved shows
 * them)", or that a latest round with no valid finding leaves the round before
 * it shown. Said as a window message and a log line, and kept as a hint on the
 * report file for as long as it holds.
 */
import { DiagnosticSeverity, MessageType, ShowMessageNotification, type Diagnostic, type Disposable } from 'vscode-languageserver';
import { describeNotice, type RoundNotice } from '../store/roundNotices.js';
import type { FeatureContext } from './context.js';
import { DIAGNOSTIC_SOURCE } from './diagnostics.js';

/** The hint a round notice puts on its report file's first line. */
export function computeNoticeDiagnostic(notice: RoundNotice): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Hint,
    source: DIAGNOSTIC_SOURCE,
    code: notice.kind,
    message: describeNotice(notice),
  };
}

/** Round notices of one server; `afterBatch` is called once a batch of reports has been applied. */
export interface RoundNotices extends Disposable {
  afterBatch(): void;
}

/** Wires the round notices: each distinct notice is said once per server. */
export function registerRoundNotices(ctx: Pick<FeatureContext, 'connection' | 'store' | 'log'>): RoundNotices {
  const said = new Set<string>();
  let disposed = false;
  return {
    afterBatch() {
      if (disposed) return;
      for (const [file, notice] of ctx.store.allNotices()) {
        const message = describeNotice(notice);
        const key = `${file}\u0000${message}`;
        if (said.has(key)) continue;
        said.add(key);
        ctx.log(`${message} (${file})`);
        ctx.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message }).catch(() => undefined);
      }
    },
    dispose() {
      disposed = true;
    },
  };
}
