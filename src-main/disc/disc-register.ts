import type { Catalogue } from '../catalogue/catalogue';
import type { DiscBurnRecord } from '../catalogue/discs';
import { RpcError, type DeliveryAddress, type DiscRecord, type MethodOutput } from '../contract';
import type { AuditLog } from '../custody/audit-log';
import type { Delivery, Holder } from '../custody/delivery';
import { ReportFontUnavailable } from '../reports';
import { discLabelPdf } from './disc-documents';
import { WITHHELD, type DiscSets } from './disc-sets';
import type { Viewer } from '../domain';

export interface DiscRegisterDeps {
  catalogue: Catalogue;
  audit: AuditLog;
  delivery: Delivery;
  sets: DiscSets;
  now: () => Date;
}

/** How many long-term cases the pending summary names; the rest are counted. */
const PENDING_CASES_SHOWN = 20;

/**
 * The disc register as custodians and supervisors read it (D-LONGTERM, D-SUPERVISION): every
 * burn, its checks and handovers, the discs due for a re-check, the long-term footage not yet on
 * a verified disc; and the handovers and labels custodians make.
 */
export class DiscRegister {
  constructor(private readonly deps: DiscRegisterDeps) {}

  list(options: { due?: boolean; limit: number }, viewer?: Viewer): MethodOutput<'disc.list'> {
    const { catalogue, now } = this.deps;
    const at = now().toISOString();
    const burns = catalogue.discs.burns({
      ...(options.due === true ? { dueBy: at } : {}),
      limit: options.limit,
    });
    return {
      discs: burns.map((burn) => this.deps.sets.record(burn, undefined, viewer)),
      pending: this.pending(),
      due: catalogue.discs.dueCount(at),
    };
  }

  /** Long-term footage (D-LONGTERM) no verified disc holds yet. */
  pending(): MethodOutput<'disc.list'>['pending'] {
    const clips = this.deps.catalogue.discs.pendingLongTerm();
    const byCase = new Map<string | null, number>();
    for (const clip of clips) byCase.set(clip.caseNumber, (byCase.get(clip.caseNumber) ?? 0) + 1);
    return {
      clips: clips.length,
      bytes: clips.reduce((sum, c) => sum + c.size, 0),
      oldestCustodyAt: clips[0]?.custodyAt ?? null,
      cases: [...byCase]
        .sort((a, b) => b[1] - a[1])
        .slice(0, PENDING_CASES_SHOWN)
        .map(([caseNumber, n]) => ({ caseNumber, clips: n })),
    };
  }

  get(discId: number, viewer?: Viewer): MethodOutput<'disc.get'> {
    const burn = this.burn(discId);
    const { catalogue } = this.deps;
    const disc = this.deps.sets.record(burn, undefined, viewer);
    const ids = catalogue.discs.clipsOnDisc(burn.setId, burn.n).map((p) => p.clipId);
    const seen = viewer === undefined || this.deps.sets.seesContents(viewer, ids);
    return {
      disc,
      // A check's detail and problems name originals: for whoever may see them all (D-CONFIDENTIAL).
      checks: catalogue.discs
        .checks(discId)
        .map((c) =>
          seen ? c : { ...c, detail: c.ok ? 'passed' : `failed: ${WITHHELD}`, problems: [] },
        ),
      handovers: catalogue.discs.handovers(discId),
    };
  }

  /** A disc handed over (to a court, a review body, the archive room): kept and audited. */
  handOver(
    input: { discId: number; toWhom: string; location?: string | null; reason: string },
    actor: string,
  ): DiscRecord {
    const { catalogue, audit, now } = this.deps;
    return catalogue.write((tx) => {
      const burn = tx.discs.burn(input.discId);
      if (burn === undefined) throw new RpcError('NOT_FOUND', `no disc ${input.discId}`);
      if (burn.state !== 'verified' && burn.state !== 'failed') {
        throw new RpcError(
          'CONFLICT',
          `disc ${input.discId} was never burned whole (${burn.state})`,
        );
      }
      const handover = {
        discId: burn.id,
        toWhom: input.toWhom,
        location: input.location ?? null,
        reason: input.reason,
        handedBy: actor,
        handedAt: now().toISOString(),
      };
      tx.discs.handOver(handover);
      const disc = this.deps.sets.record(burn);
      const ids = tx.discs.clipsOnDisc(burn.setId, burn.n).map((p) => p.clipId);
      const levels = [...new Set(ids.map((id) => tx.labels.confidentialityOf(id)))].sort();
      audit.append(tx, {
        actor,
        action: 'disc.handed.over',
        subject: `disc:${burn.id}`,
        // What left with it (D-NO-LEAK): its cases, its clips, how confidential they are.
        details: {
          volumeId: burn.volumeId,
          caseNumbers: disc.caseNumbers,
          clips: disc.clips,
          confidentiality: levels,
          toWhom: handover.toWhom,
          location: handover.location,
          reason: handover.reason,
        },
      });
      return this.deps.sets.record(tx.discs.burn(burn.id)!);
    });
  }

  /** The label and sleeve insert (PDF) of a burned disc: a copy says 副本 / COPY. */
  private async labelBytes(
    discId: number,
  ): Promise<{ bytes: Buffer; fileName: string; disc: DiscRecord }> {
    const disc = this.deps.sets.record(this.burn(discId));
    // A label says "this disc": only one proven and kept is labelled as one.
    if (disc.state !== 'verified') {
      throw new RpcError(
        'CONFLICT',
        `disc ${discId} is ${disc.state}: only a verified disc is labelled`,
      );
    }
    let bytes: Buffer;
    try {
      bytes = await discLabelPdf({
        caseNumbers: disc.caseNumbers,
        setId: disc.setTag,
        n: disc.n,
        of: disc.of,
        copy: disc.copy,
        volumeId: disc.volumeId,
        burnedAt: disc.finishedAt ?? disc.startedAt,
        manifestSha256: disc.manifestSha256,
      });
    } catch (error) {
      if (error instanceof ReportFontUnavailable) throw new RpcError('CONFLICT', error.message);
      throw error;
    }
    return { bytes, fileName: `${disc.volumeId}-label.pdf`, disc };
  }

  /** The label's bytes for `actor`, audited: what was printed of which disc, by whom. */
  async printLabel(
    discId: number,
    actor: string,
  ): Promise<{ bytes: Buffer; fileName: string; disc: DiscRecord }> {
    const label = await this.labelBytes(discId);
    this.deps.audit.record({
      actor,
      action: 'disc.label.printed',
      subject: `disc:${label.disc.id}`,
      details: { volumeId: label.disc.volumeId, bytes: label.bytes.length },
    });
    return label;
  }

  async label(discId: number, holder: Holder): Promise<DeliveryAddress> {
    const { bytes, fileName } = await this.printLabel(discId, holder.user.badge);
    return this.deps.delivery.issue(holder, {
      kind: 'export',
      source: { bytes },
      mime: 'application/pdf',
      fileName,
      allowed: () => true,
    });
  }

  private burn(discId: number): DiscBurnRecord {
    const burn = this.deps.catalogue.discs.burn(discId);
    if (burn === undefined) throw new RpcError('NOT_FOUND', `no disc ${discId}`);
    return burn;
  }
}
