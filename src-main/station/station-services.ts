import type { AuthService } from '../auth/auth-service';
import type { UserAdmin } from '../auth/user-admin';
import type { Catalogue } from '../catalogue/catalogue';
import type { AuditLog } from '../custody/audit-log';
import type { ArchiveSpace } from '../custody/archive-space';
import type { AuditCheckpoints } from '../custody/checkpoints';
import type { Delivery } from '../custody/delivery';
import type { RecorderProfile } from '../devices';
import { RpcError, type Log } from '../contract';
import type { DockRuntime, RecorderRegistry } from '../dock';
import type {
  CaseService,
  ClipAccess,
  CustodyExceptions,
  FinishAtDock,
  LabelService,
  UnitPolicyService,
} from '../filing';
import type { DiscBurner, DiscRegister, DiscSets } from '../disc';
import type { Forwarder, ForwardingLoop, ForwardTargets, RemoteCheck } from '../forward';
import type { ComplianceReports } from '../reports';
import type { EventHub } from './event-hub';
import type { IntegritySchedule } from './integrity-schedule';

/** The dock runs only in a station process (not for a CLI command that reads or manages data). */
export class DockSlot {
  runtime: DockRuntime | null = null;

  require(): DockRuntime {
    if (this.runtime === null) {
      throw new RpcError('CONFLICT', 'No dock runs in this process: start the station.');
    }
    return this.runtime;
  }
}

/** Every service of a station, built once by the composition root (`openStation`). */
export interface StationServices {
  readonly dataDir: string;
  /** What the station says for the people who run it (its rotating log file and stderr). */
  readonly log: Log;
  readonly closeLog: () => void;
  readonly version: string;
  readonly now: () => Date;
  readonly catalogue: Catalogue;
  readonly audit: AuditLog;
  /** The signed checkpoints of the audit chain and the keys that sign them (D-NO-TAMPER). */
  readonly checkpoints: AuditCheckpoints;
  readonly profiles: readonly RecorderProfile[];
  readonly auth: AuthService;
  readonly userAdmin: UserAdmin;
  readonly hub: EventHub;
  readonly dock: DockSlot;
  readonly recorders: RecorderRegistry;
  readonly clips: ClipAccess;
  readonly labels: LabelService;
  readonly custodyExceptions: CustodyExceptions;
  readonly finishAtDock: FinishAtDock;
  readonly cases: CaseService;
  readonly policy: UnitPolicyService;
  readonly delivery: Delivery;
  readonly reports: ComplianceReports;
  /** The archive integrity sweep, on its schedule and on request (D-NO-TAMPER). */
  readonly integrity: IntegritySchedule;
  /** Forwarding to central storage (D-24H): the engine, the targets, the re-check, the loop. */
  readonly forwarder: Forwarder;
  readonly forwardTargets: ForwardTargets;
  readonly remoteCheck: RemoteCheck;
  readonly forwarding: ForwardingLoop;
  /** Long-term discs (D-LONGTERM): sets planned, burned and proven, the register. */
  readonly discSets: DiscSets;
  readonly discBurner: DiscBurner;
  readonly discRegister: DiscRegister;
  /** The archive disk's room and how long it lasts at the recent intake (D-NO-TAMPER). */
  readonly archiveSpace: ArchiveSpace;
}
