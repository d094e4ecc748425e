// Small pieces every app's importer uses.
import { parseMediaRef, type MediaSource } from '../media.js';
import { SourceError, type Row, type Source } from '../source.js';
import { int } from '../values.js';

/** stops early with a clear message when --from points at the wrong database */
export async function requireTables(source: Source, tables: string[]): Promise<void> {
  const missing: string[] = [];
  for (const t of tables) if (!(await source.hasTable(t))) missing.push(t);
  if (missing.length) {
    throw new SourceError(`the source database has no table ${missing.map((t) => `"${t}"`).join(', ')}: is --from the original's database?`);
  }
}

export function maxId(rows: Row[]): number {
  let m = 0;
  for (const r of rows) m = Math.max(m, int(r, 'id') ?? 0);
  return m;
}

export type Fetched = { bytes: Buffer; key: string; leaked: boolean; viaFallback: boolean } | { missing: string };

/**
 * The file an original's URL points to, trying `fallbacks` (keys the app itself would have used)
 * after the URL. `missing` says why there is none, for the report.
 */
export async function fetchMedia(media: MediaSource | undefined, ref: string | null, fallbacks: string[] = []): Promise<Fetched> {
  if (!media) return { missing: 'no --media given: the file cannot be copied' };
  const leaked = parseMediaRef(ref).leaked;
  for (const [i, r] of [ref, ...fallbacks].entries()) {
    if (!r) continue;
    const f = await media.get(r);
    if (f) return { ...f, leaked, viaFallback: i > 0 };
  }
  return { missing: ref ? 'file not found (broken URL, or missing from the media)' : 'no file URL recorded' };
}
