import { describe, expect, it } from 'vitest';
import { defaultSettings, meetsMinimum, parseSettings, Settings } from '../../server/src/settings.js';

describe('settings', () => {
  it('fills every default', () => {
    expect(defaultSettings()).toEqual({
      directory: '.deep-review',
      rounds: 'latest',
      showResolved: false,
      minimumSeverity: 'suggestion',
      severityMap: { critical: 'error', important: 'warning', suggestion: 'information' },
      debounceMs: 200,
      maxFileSizeKb: 4096,
      anchorSimilarity: 0.8,
      fixedInWorkingTree: 'hint',
      diagnosticsMode: 'auto',
      roundCommand: [],
      roundTimeoutSeconds: 3600,
      dismissed: 'hide',
      triageAuthor: '',
      cacheReports: true,
    });
  });

  it('documents every key', () => {
    for (const [key, schema] of Object.entries(Settings.shape)) expect(schema.description, key).toBeTruthy();
  });

  it('keeps the previous value of each invalid key and reports it', () => {
    const previous = parseSettings({ rounds: 'all' }).settings;
    const { settings, errors } = parseSettings({ debounceMs: 0, minimumSeverity: 'blocker', directory: '../up' }, previous);
    expect(settings).toMatchObject({ debounceMs: 0, minimumSeverity: 'suggestion', directory: '.deep-review' });
    expect(errors).toEqual([
      'deepReview.directory: must stay inside the workspace folder; keeping ".deep-review"',
      'deepReview.minimumSeverity: Invalid option: expected one of "critical"|"important"|"suggestion"; keeping "suggestion"',
    ]);
  });

  it('refuses a non-object and keeps everything', () => {
    const previous = defaultSettings();
    expect(parseSettings('fast', previous)).toEqual({ settings: previous, errors: ['deepReview settings must be an object; keeping the previous settings'] });
  });

  it('compares severities', () => {
    expect(meetsMinimum('critical', 'important')).toBe(true);
    expect(meetsMinimum('suggestion', 'important')).toBe(false);
  });
});
