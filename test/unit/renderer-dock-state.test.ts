import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DockedVolume,
  type Docking,
  DOCKING_PHASES,
  type Finding,
} from '../../src-main/contract';
import {
  EMPTY_SNAPSHOT,
  defaultSelection,
  displayState,
  dockCards,
  fromStatus,
  phaseHasProgress,
  withDocking,
  withVolumes,
} from '../../src-renderer/features/dock/dockState';
import {
  FINDING_CODES,
  clockOffsetSeverity,
  findingRule,
  findingSeverity,
  groupFindings,
  worstSeverity,
} from '../../src-renderer/shared/clips/findings';
import { ThumbnailCache } from '../../src-renderer/shared/clips/thumbnailCache';
import { resolveObjectURL } from 'node:buffer';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

function docking(overrides: Partial<Docking> = {}): Docking {
  return {
    id: 1,
    recorderSerial: 'CAM01',
    profileId: 'generic-dcim',
    officerBadge: 'J0123',
    officerName: '李明',
    identifiedBy: 'assigned',
    identifiedAt: null,
    mountpoint: '/media/CAM01',
    startedAt: '2026-11-22T08:00:00.000Z',
    finishedAt: null,
    phase: 'copying',
    clipsPlanned: 10,
    clipsDone: 3,
    progress: { bytes: 300, total: 1000, rate: 100, eta: 7 },
    clipsInFlight: [],
    clockOffsetMs: null,
    clockOffsetSource: null,
    clockSetAt: null,
    lateCustodyClips: 0,
    findings: [],
    findingsTotal: 0,
    thumbnails: 0,
    safeToUndock: false,
    error: null,
    ...overrides,
  };
}

function volume(overrides: Partial<DockedVolume> = {}): DockedVolume {
  return {
    device: '/dev/sdb1',
    mountpoint: '/media/CAM01',
    label: 'CAM01',
    usb: null,
    state: 'recorder',
    profileId: 'generic-dcim',
    serial: 'CAM01',
    dockingId: 1,
    problem: null,
    lookalike: null,
    ...overrides,
  };
}

function finding(code: string, details: Record<string, unknown> = {}): Finding {
  return { code, message: `${code} happened`, path: null, clipId: null, details };
}

describe('docking phase → what the officer sees', () => {
  it('says "safe" only when the station says so, whatever the phase', () => {
    expect(displayState(docking({ phase: 'complete', safeToUndock: true }))).toBe('safe');
    expect(displayState(docking({ phase: 'clearing', safeToUndock: true }))).toBe('safe');
    expect(displayState(docking({ phase: 'complete', safeToUndock: false }))).toBe('incomplete');
  });

  it('keeps the recorder in while the station works', () => {
    for (const phase of ['identifying', 'planning', 'copying', 'verifying', 'clearing'] as const) {
      expect(displayState(docking({ phase })), phase).toBe('working');
    }
  });

  it('shows interruptions and failures, failures before safety', () => {
    expect(displayState(docking({ phase: 'interrupted' }))).toBe('interrupted');
    expect(displayState(docking({ phase: 'failed' }))).toBe('failed');
    expect(displayState(docking({ phase: 'failed', safeToUndock: true }))).toBe('failed');
    expect(displayState(docking({ phase: 'copying', error: 'disk full' }))).toBe('failed');
  });

  it('maps every phase of the contract', () => {
    for (const phase of DOCKING_PHASES) {
      expect(['working', 'safe', 'incomplete', 'interrupted', 'failed']).toContain(
        displayState(docking({ phase })),
      );
    }
  });

  it('draws a byte bar only while bytes move', () => {
    expect(phaseHasProgress('copying')).toBe(true);
    expect(phaseHasProgress('verifying')).toBe(true);
    expect(phaseHasProgress('planning')).toBe(false);
    expect(phaseHasProgress('complete')).toBe(false);
  });
});

describe('finding → severity and rule', () => {
  it('makes lost or unproven copies errors', () => {
    for (const code of [
      'read-error',
      'changed-during-copy',
      'archive-full',
      'verify-mismatch',
      'copy-failed',
      'unreadable-folder',
      'ingest-failed',
    ]) {
      expect(findingSeverity(finding(code)), code).toBe('error');
    }
  });

  it('makes rule breaches and skipped files warnings', () => {
    for (const code of [
      'late-custody',
      'sequence-gap',
      'sequence-reset',
      'timeline-gap',
      'timeline-overlap',
      'future-time',
      'empty-file',
      'symlink',
      'special-file',
      'folder-loop',
      'unsafe-name',
      'invalid-utf8-name',
      'volume-gone',
      'clock-set-failed',
    ]) {
      expect(findingSeverity(finding(code)), code).toBe('warning');
    }
  });

  it('makes plain facts information, and a far-off clock a warning', () => {
    for (const code of ['duplicate', 'resumed', 'not-media', 'officer-not-assigned']) {
      expect(findingSeverity(finding(code)), code).toBe('info');
    }
    expect(clockOffsetSeverity(5_000)).toBe('info');
    expect(clockOffsetSeverity(-120_000)).toBe('warning');
  });

  it('does not take a slow estimated clock for a wrong one (idle time looks slow)', () => {
    expect(clockOffsetSeverity(-3 * 3_600_000, 'estimate')).toBe('info');
    expect(clockOffsetSeverity(3 * 3_600_000, 'estimate')).toBe('warning');
    expect(clockOffsetSeverity(-3 * 3_600_000, 'driver')).toBe('warning');
    expect(clockOffsetSeverity(30_000, 'driver')).toBe('info');
  });

  it('never hides an unknown code: it is a warning', () => {
    expect(findingSeverity(finding('something-new'))).toBe('warning');
  });

  it('cites D-24H and D-CONTINUOUS where they apply', () => {
    expect(findingRule('late-custody')).toBe('D-24H');
    for (const code of [
      'sequence-gap',
      'sequence-reset',
      'timeline-gap',
      'timeline-overlap',
      'future-time',
    ]) {
      expect(findingRule(code), code).toBe('D-CONTINUOUS');
    }
    expect(findingRule('empty-file')).toBeNull();
    expect(findingRule('something-new')).toBeNull();
  });

  it('has a severity for every known code', () => {
    for (const code of FINDING_CODES) {
      expect(['error', 'warning', 'info']).toContain(findingSeverity(finding(code)));
    }
  });

  it('groups findings by code, the most severe first', () => {
    const groups = groupFindings([
      finding('sequence-gap'),
      finding('duplicate'),
      finding('unsafe-name'),
      finding('read-error'),
      finding('unsafe-name'),
    ]);
    expect(groups.map((g) => [g.code, g.severity, g.findings.length])).toEqual([
      ['read-error', 'error', 1],
      ['sequence-gap', 'warning', 1],
      ['unsafe-name', 'warning', 2],
      ['duplicate', 'info', 1],
    ]);
    expect(worstSeverity([finding('duplicate'), finding('empty-file')])).toBe('warning');
    expect(worstSeverity([])).toBeNull();
  });
});

describe('dock snapshot', () => {
  it('puts a card per docked recorder and separates look-alikes and other sticks', () => {
    const snapshot = fromStatus({
      volumes: [
        volume(),
        volume({
          device: '/dev/sdc1',
          mountpoint: '/media/X',
          state: 'unregistered',
          dockingId: null,
        }),
        volume({
          device: '/dev/sdd1',
          mountpoint: '/media/STICK',
          state: 'ignored',
          dockingId: null,
        }),
        // Carries CAM01's serial on another device: held, never a recorder's card (D-WHO-RECORDS).
        volume({
          device: '/dev/sde1',
          mountpoint: '/media/CAM01_',
          state: 'held',
          dockingId: null,
        }),
      ],
      dockings: [
        docking(),
        docking({ id: 0, startedAt: '2026-11-21T08:00:00.000Z', phase: 'complete' }),
      ],
    });
    const cards = dockCards(snapshot);
    expect(cards.docked.map((c) => c.docking?.id)).toEqual([1]);
    expect(cards.held.map((v) => v.mountpoint)).toEqual(['/media/CAM01_']);
    expect(cards.unregistered.map((v) => v.mountpoint)).toEqual(['/media/X']);
    expect(cards.ignored.map((v) => v.mountpoint)).toEqual(['/media/STICK']);
    expect(cards.earlier.map((d) => d.id)).toEqual([0]);
    expect(defaultSelection(snapshot)).toBe(1);
  });

  it('keeps a recorder that is still being identified as a card without a docking', () => {
    const snapshot = withVolumes(EMPTY_SNAPSHOT, [volume({ dockingId: null })]);
    const cards = dockCards(snapshot);
    expect(cards.docked).toHaveLength(1);
    expect(cards.docked[0]?.docking).toBeNull();
    expect(defaultSelection(snapshot)).toBeNull();
  });

  it('links a docking heard of before the volume list names it, by mountpoint', () => {
    let snapshot = withVolumes(EMPTY_SNAPSHOT, [volume({ dockingId: null })]);
    snapshot = withDocking(snapshot, docking({ id: 5, phase: 'planning' }));
    expect(dockCards(snapshot).docked[0]?.docking?.id).toBe(5);
    expect(dockCards(snapshot).earlier).toEqual([]);
    // A finished docking at the same place is an earlier one, not this volume's.
    snapshot = withDocking(snapshot, docking({ id: 5, phase: 'complete' }));
    expect(dockCards(snapshot).docked[0]?.docking).toBeNull();
  });

  it("shows another officer's recorder as a busy bay, which names no docking", () => {
    const busy = volume({
      state: 'busy',
      mountpoint: '',
      label: null,
      serial: null,
      profileId: null,
      usb: null,
      dockingId: null,
    });
    const snapshot = withVolumes(EMPTY_SNAPSHOT, [busy]);
    expect(dockCards(snapshot).busy).toEqual([busy]);
    expect(dockCards(snapshot).unclaimed).toEqual([]);
    expect(dockCards(snapshot).docked).toEqual([]);
  });

  it('shows a pool recorder nobody confirmed as unclaimed, and as a card once its docking is ours', () => {
    const pool = volume({
      state: 'unclaimed',
      mountpoint: '',
      label: null,
      usb: null,
      dockingId: 7,
    });
    let snapshot = withVolumes(EMPTY_SNAPSHOT, [pool]);
    expect(dockCards(snapshot).unclaimed).toEqual([pool]);
    expect(dockCards(snapshot).docked).toEqual([]);
    // Confirmed as this officer's since: the station now sends its docking.
    snapshot = withDocking(snapshot, docking({ id: 7 }));
    expect(dockCards(snapshot).unclaimed).toEqual([]);
    expect(dockCards(snapshot).docked.map((c) => c.docking?.id)).toEqual([7]);
  });

  it('moves a docking to "earlier" when its recorder is pulled out', () => {
    let snapshot = fromStatus({ volumes: [volume()], dockings: [docking()] });
    snapshot = withVolumes(snapshot, []);
    expect(dockCards(snapshot).docked).toEqual([]);
    expect(dockCards(snapshot).earlier.map((d) => d.id)).toEqual([1]);
    expect(defaultSelection(snapshot)).toBe(1);
  });

  it('applies live updates, and never moves backwards with updates older than the status', () => {
    let snapshot = fromStatus({ volumes: [volume()], dockings: [docking({ clipsDone: 5 })] });
    const stale = docking({ clipsDone: 4 });
    expect(withDocking(snapshot, stale, true)).toBe(snapshot);
    snapshot = withDocking(snapshot, docking({ phase: 'verifying', clipsDone: 5 }), true);
    expect(snapshot.dockings.get(1)?.phase).toBe('verifying');
    // Live updates come in order: they are taken as they are.
    snapshot = withDocking(snapshot, docking({ phase: 'interrupted', clipsDone: 5 }));
    snapshot = withDocking(snapshot, docking({ phase: 'copying', clipsDone: 5 }));
    expect(snapshot.dockings.get(1)?.phase).toBe('copying');
    // A docking first heard of by event is added.
    snapshot = withDocking(snapshot, docking({ id: 2 }), true);
    expect([...snapshot.dockings.keys()]).toEqual([1, 2]);
  });
});

describe('thumbnail cache', () => {
  const SESSION = 'session-of-this-page';
  // The station's delivery, for real: an HTTP server that answers each clip's picture, counting.
  let server: Server;
  let base = '';
  const served: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      served.push(req.url ?? '');
      if (req.url === '/thumbnail/gone') return void res.writeHead(403).end();
      // As the station does: only to the session the ticket was issued to (D-NO-LEAK).
      if (req.headers['x-evidock-session'] !== SESSION) return void res.writeHead(403).end();
      res.writeHead(200, { 'Content-Type': 'image/jpeg' }).end(`jpeg of ${req.url}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const address = (path: string) => ({ url: `${base}${path}`, mime: 'image/jpeg', expiresAt: '' });
  const picture = async (url: string | null) => resolveObjectURL(url ?? '')?.text();

  it('fetches each thumbnail once from where the station says, and answers object URLs', async () => {
    const asked: number[] = [];
    const cache = new ThumbnailCache(
      async (id) => {
        asked.push(id);
        return id === 2 ? null : address(`/thumbnail/${id}`);
      },
      () => SESSION,
    );
    expect(cache.peek(1)).toBeUndefined();
    const url = await cache.get(1);
    expect(url).toMatch(/^blob:/);
    expect(await picture(url)).toBe('jpeg of /thumbnail/1');
    expect(await cache.get(1)).toBe(url);
    expect(cache.peek(1)).toBe(url);
    expect(await cache.get(2)).toBeNull();
    expect(cache.peek(2)).toBeNull();
    expect(asked).toEqual([1, 2]);
    expect(served.filter((p) => p === '/thumbnail/1')).toHaveLength(1);
  });

  it('shares one fetch between simultaneous askers', async () => {
    let calls = 0;
    const cache = new ThumbnailCache(
      async () => {
        calls += 1;
        return address('/thumbnail/7');
      },
      () => SESSION,
    );
    await Promise.all([cache.get(7), cache.get(7), cache.get(7)]);
    expect(calls).toBe(1);
  });

  it('forgets failures, a refused delivery too, and releases the least recently used beyond its limit', async () => {
    let fail = true;
    const asked: number[] = [];
    const cache = new ThumbnailCache(
      async (id) => {
        asked.push(id);
        if (fail) throw new Error('offline');
        return address(id === 9 ? '/thumbnail/gone' : `/thumbnail/${id}`);
      },
      () => SESSION,
      2,
    );
    await expect(cache.get(1)).rejects.toThrow('offline');
    fail = false;
    await expect(cache.get(9)).rejects.toThrow(/refused/);
    expect(cache.peek(9)).toBeUndefined();
    const first = await cache.get(1);
    const second = await cache.get(2);
    await cache.get(1); // 1 is now the most recent
    await cache.get(3); // drops 2, and gives its memory back
    expect(cache.size).toBe(2);
    expect(cache.peek(2)).toBeUndefined();
    expect(resolveObjectURL(second!)).toBeUndefined();
    expect(await picture(first)).toBe('jpeg of /thumbnail/1');
    await cache.get(2);
    expect(asked).toEqual([1, 9, 1, 2, 3, 2]);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(resolveObjectURL(first!)).toBeUndefined();
  });

  it("fetches with the page's session, as it is at the fetch; without one the station refuses", async () => {
    let session: string | null = null;
    const cache = new ThumbnailCache(
      async (id) => address(`/thumbnail/${id}`),
      () => session,
    );
    await expect(cache.get(11)).rejects.toThrow(/refused/);
    session = SESSION;
    expect(await picture(await cache.get(11))).toBe('jpeg of /thumbnail/11');
  });
});
