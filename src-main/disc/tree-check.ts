import { runXorriso, treeExtentsArgs, type DriveAddress } from './xorriso';

/**
 * One disc, three directory trees: Rock Ridge (what Linux and macOS show), Joliet (what Windows
 * shows) and plain ISO 9660. They are written together and point at the same file data; a disc
 * made to show one thing through Rock Ridge and another through Joliet would pass every check
 * that reads one tree and show a court on Windows other footage. xorriso loads each tree on its
 * own (`-read_fs`), and each file's data extents are compared.
 */
const TREES = [
  { name: 'Rock Ridge', readFs: 'any' },
  { name: 'Joliet', readFs: 'norock' },
  { name: 'ISO 9660', readFs: 'ecma119' },
] as const;

/** A stretch of a file's data: where on the medium, how many blocks; and the whole file's size. */
interface Extent {
  path: string;
  lba: number;
  blocks: number;
  /** The file's size (every extent of a file says it). */
  bytes: number;
}

const LINE = /^File data lba:\s*\d+\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*'(.*)'\s*$/;

/** `-find / -type f -exec report_lba`: each extent of each file, xorriso's quoting undone. */
export function reportedExtents(output: string): Extent[] {
  return output.split('\n').flatMap((line) => {
    const m = LINE.exec(line.trim());
    if (m === null) return [];
    return [
      {
        lba: Number(m[1]),
        blocks: Number(m[2]),
        bytes: Number(m[3]),
        path: m[4]!.replaceAll(`'"'"'`, `'`),
      },
    ];
  });
}

function key(e: Extent, withPath: boolean): string {
  return `${withPath ? e.path : ''}|${e.lba}|${e.blocks}|${e.bytes}`;
}

function differences(a: Extent[], b: Extent[], withPath: boolean): string[] {
  const count = (list: Extent[]) => {
    const m = new Map<string, number>();
    for (const e of list) m.set(key(e, withPath), (m.get(key(e, withPath)) ?? 0) + 1);
    return m;
  };
  const [ca, cb] = [count(a), count(b)];
  const out: string[] = [];
  for (const [k, n] of ca) if ((cb.get(k) ?? 0) !== n) out.push(k);
  for (const [k, n] of cb) if ((ca.get(k) ?? 0) !== n && !out.includes(k)) out.push(k);
  return out;
}

/**
 * Whether the disc's three trees show the same files on the same data: Joliet by the same names
 * as Rock Ridge (both keep a name's case), plain ISO 9660 (whose names are shortened and
 * upper-cased) by the same extents. Problems name what one tree shows that another does not.
 */
export async function checkTreesAgree(
  drive: DriveAddress,
  signal?: AbortSignal,
): Promise<{ ok: boolean; problems: string[] }> {
  const trees: Extent[][] = [];
  for (const tree of TREES) {
    const run = await runXorriso(treeExtentsArgs(drive, tree.readFs), { signal });
    trees.push(reportedExtents(run.output));
  }
  const [rr, joliet, iso] = trees as [Extent[], Extent[], Extent[]];
  const problems: string[] = [];
  if (rr.length === 0) problems.push('no file could be read from the Rock Ridge tree');
  const byName = differences(rr, joliet, true);
  if (byName.length > 0) {
    problems.push(
      `the Joliet tree (what Windows shows) differs from the Rock Ridge tree: ${byName
        .slice(0, 5)
        .map((k) => k.split('|')[0])
        .join(', ')}`,
    );
  }
  if (differences(rr, iso, false).length > 0) {
    problems.push('the plain ISO 9660 tree points at other file data than the Rock Ridge tree');
  }
  return { ok: problems.length === 0, problems };
}
