// What an import did, per original table: rows read, imported, repaired (imported with a change),
// skipped (not importable, with the reason), failed (an error), and already imported by an
// earlier run. Reasons keep a few example ids (with the change made) for the summary, and all of
// them for the JSON report.

export interface TableStats {
  table: string;
  read: number;
  imported: number;
  repaired: number;
  /** duplicates in the original folded into another imported row */
  merged: number;
  skipped: number;
  failed: number;
  already: number;
}

export interface ReasonEntry {
  table: string;
  kind: 'repaired' | 'skipped' | 'failed' | 'note';
  reason: string;
  count: number;
  examples: string[];
}

export interface ReportJson {
  app: string;
  source: string;
  dryRun: boolean;
  tables: TableStats[];
  reasons: ReasonEntry[];
  error?: string;
}

const SUMMARY_EXAMPLES = 5;
const JSON_EXAMPLES = 10_000;

export class Report {
  private readonly tables = new Map<string, TableStats>();
  private readonly reasons = new Map<string, ReasonEntry>();
  error?: string;

  constructor(readonly app: string, readonly source: string, readonly dryRun: boolean) {}

  stats(table: string): TableStats {
    let s = this.tables.get(table);
    if (!s) this.tables.set(table, (s = { table, read: 0, imported: 0, repaired: 0, merged: 0, skipped: 0, failed: 0, already: 0 }));
    return s;
  }

  /** a change made to an imported row; a row with several changes counts once as repaired */
  reason(table: string, kind: ReasonEntry['kind'], reason: string, example?: string): void {
    const key = `${table}\u0000${kind}\u0000${reason}`;
    let r = this.reasons.get(key);
    if (!r) this.reasons.set(key, (r = { table, kind, reason, count: 0, examples: [] }));
    r.count++;
    if (example !== undefined && r.examples.length < JSON_EXAMPLES) r.examples.push(example);
  }

  skipped(table: string, reason: string, id: string): void {
    this.stats(table).skipped++;
    this.reason(table, 'skipped', reason, id);
  }

  failed(table: string, reason: string, id: string): void {
    this.stats(table).failed++;
    this.reason(table, 'failed', reason, id);
  }

  get anyFailed(): boolean {
    return Boolean(this.error) || [...this.tables.values()].some((t) => t.failed > 0);
  }

  toJson(): ReportJson {
    return { app: this.app, source: this.source, dryRun: this.dryRun, tables: [...this.tables.values()], reasons: [...this.reasons.values()], error: this.error };
  }

  /** the table and the reasons, for a terminal */
  summary(): string {
    const head = ['table', 'read', 'imported', 'repaired', 'merged', 'skipped', 'failed', 'already'];
    const rows = [...this.tables.values()].map((t) => [t.table, t.read, t.imported, t.repaired, t.merged, t.skipped, t.failed, t.already].map(String));
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    const out = [
      `${this.dryRun ? 'DRY RUN (nothing written): ' : ''}madang import ${this.app} from ${this.source}`,
      '',
      line(head),
      line(widths.map((w) => '-'.repeat(w))),
      ...rows.map(line),
    ];
    for (const kind of ['repaired', 'skipped', 'failed', 'note'] as const) {
      const list = [...this.reasons.values()].filter((r) => r.kind === kind);
      if (list.length === 0) continue;
      out.push('', `${kind === 'note' ? 'Notes' : kind[0]!.toUpperCase() + kind.slice(1)}:`);
      for (const r of list) {
        const shown = r.examples.slice(0, SUMMARY_EXAMPLES).join(', ');
        const more = r.count > SUMMARY_EXAMPLES && r.examples.length ? `, … ${r.count - SUMMARY_EXAMPLES} more` : '';
        out.push(`  ${r.table}: ${r.reason} (${r.count})${shown ? `: ${shown}${more}` : ''}`);
      }
    }
    if (this.error) out.push('', `Stopped: ${this.error}`, 'Run the same command again to continue where it stopped.');
    return out.join('\n');
  }
}
