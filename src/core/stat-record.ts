/** The stat fields a cache keys a file's entry by, as git's index does. */
export interface FileStat {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

/** A file changed this recently may change again within the clock's resolution: do not key by its stat. */
const RACY_MS = 2000;

/** `[size, mtimeMs, ctimeMs, ino, value]`: an entry keyed by a file's stat. */
export type StatRecord<T> = [number, number, number, number, T];

export function statRecord<T>(stat: FileStat, value: T): StatRecord<T> {
  return [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, value];
}

/** Whether `record` (parsed JSON, unchecked) was made from this same stat. */
export function sameStat(record: unknown, stat: FileStat): boolean {
  return (
    Array.isArray(record) &&
    record.length === 5 &&
    record[0] === stat.size &&
    record[1] === stat.mtimeMs &&
    record[2] === stat.ctimeMs &&
    record[3] === stat.ino
  );
}

/** Whether the file changed too recently (before `now`) for its stat to be trusted later. */
export function changedRecently(stat: FileStat, now: number = Date.now()): boolean {
  return now - Math.max(stat.mtimeMs, stat.ctimeMs) < RACY_MS;
}
