import type Database from 'better-sqlite3';
import type { AuditCheckpointReads } from './audit-checkpoints';
import { AuditCheckpointRepository } from './audit-checkpoints';
import type { AuditEntryReads } from './audit-entries';
import { AuditEntryRepository } from './audit-entries';
import type { CaseReads } from './cases';
import { CaseRepository } from './cases';
import { ClipSearch } from './clip-search';
import type { ClipReads } from './clips';
import { ClipRepository } from './clips';
import {
  complianceFigures,
  type ComplianceFiguresResult,
  type ComplianceQuery,
} from './compliance';
import type { DiscReads } from './discs';
import { DiscRepository } from './discs';
import type { DockingReads } from './dockings';
import type { ForwardingReads } from './forwarding';
import { ForwardingRepository } from './forwarding';
import { DockingRepository } from './dockings';
import type { LabelReads } from './labels';
import { LabelRepository } from './labels';
import type { MigrationOutcome } from './migrate';
import { closeCatalogue, openCatalogue } from './open';
import type { RecorderReads } from './recorders';
import { RecorderRepository } from './recorders';
import type { RoleGrantReads } from './role-grants';
import { RoleGrantRepository } from './role-grants';
import type { SettingsReads } from './settings';
import { SettingsRepository } from './settings';
import type { SignInLockReads } from './sign-in-locks';
import { SignInLockRepository } from './sign-in-locks';
import { Sql } from './sql';
import type { UserReads } from './users';
import { UserRepository } from './users';

/**
 * What a transaction may do: every repository with its writing methods, and what to do once the
 * transaction has committed. It exists only inside `Catalogue.write` (Signal Desktop's
 * WritableDB): a write outside one does not type-check, and is refused if it is tried anyway.
 */
export interface CatalogueWrite {
  readonly users: UserRepository;
  readonly signInLocks: SignInLockRepository;
  readonly roleGrants: RoleGrantRepository;
  readonly recorders: RecorderRepository;
  readonly clips: ClipRepository;
  readonly dockings: DockingRepository;
  readonly labels: LabelRepository;
  readonly cases: CaseRepository;
  readonly settings: SettingsRepository;
  readonly audit: AuditEntryRepository;
  readonly checkpoints: AuditCheckpointRepository;
  readonly forwarding: ForwardingRepository;
  readonly discs: DiscRepository;
  /** Runs `then` once the outermost transaction has committed; never if it rolls back. */
  afterCommit(then: () => void): void;
}

/**
 * The station's catalogue: one SQLite connection, its repositories built once, every statement
 * prepared once. Reading is open to any holder; writing happens in `write`, one IMMEDIATE
 * transaction (the write lock is taken up front, so two processes writing at once serialise
 * instead of one failing half-way).
 */
export class Catalogue {
  readonly users: UserReads;
  readonly signInLocks: SignInLockReads;
  readonly roleGrants: RoleGrantReads;
  readonly recorders: RecorderReads;
  readonly clips: ClipReads;
  readonly dockings: DockingReads;
  readonly labels: LabelReads;
  readonly cases: CaseReads;
  readonly settings: SettingsReads;
  readonly audit: AuditEntryReads;
  readonly checkpoints: AuditCheckpointReads;
  readonly forwarding: ForwardingReads;
  readonly discs: DiscReads;
  readonly search: ClipSearch;
  private readonly sql: Sql;
  private readonly writable: Omit<CatalogueWrite, 'afterCommit'>;
  private open: { tx: CatalogueWrite; committed: (() => void)[] } | null = null;

  private constructor(
    /**
     * The connection itself: for migrations, and for tests and benchmarks that look at the file
     * the way the sqlite shell would. The station's own code reads and writes through the
     * repositories.
     */
    readonly db: Database.Database,
  ) {
    this.sql = new Sql(db);
    this.writable = {
      users: new UserRepository(this.sql),
      signInLocks: new SignInLockRepository(this.sql),
      roleGrants: new RoleGrantRepository(this.sql),
      recorders: new RecorderRepository(this.sql),
      clips: new ClipRepository(this.sql),
      dockings: new DockingRepository(this.sql),
      labels: new LabelRepository(this.sql),
      cases: new CaseRepository(this.sql),
      settings: new SettingsRepository(this.sql),
      audit: new AuditEntryRepository(this.sql),
      checkpoints: new AuditCheckpointRepository(this.sql),
      forwarding: new ForwardingRepository(this.sql),
      discs: new DiscRepository(this.sql),
    };
    ({
      users: this.users,
      signInLocks: this.signInLocks,
      roleGrants: this.roleGrants,
      recorders: this.recorders,
      clips: this.clips,
      dockings: this.dockings,
      labels: this.labels,
      cases: this.cases,
      settings: this.settings,
      audit: this.audit,
      checkpoints: this.checkpoints,
      forwarding: this.forwarding,
      discs: this.discs,
    } = this.writable);
    this.search = new ClipSearch(this.sql);
  }

  /** Opens (creating and migrating if needed) the catalogue in `file`; `:memory:` for a private one. */
  static open(file: string): { catalogue: Catalogue; migration: MigrationOutcome } {
    const { db, migration } = openCatalogue(file);
    return { catalogue: new Catalogue(db), migration };
  }

  /**
   * Runs `work` in one IMMEDIATE transaction; inside an open one, `work` joins it. `work` is
   * synchronous: a transaction never spans an await, so no other request's writes interleave.
   */
  write<T>(work: (tx: CatalogueWrite) => T): T {
    if (this.open !== null) return work(this.open.tx);
    if (this.db.inTransaction) {
      // Someone began a transaction behind the catalogue's back: its commit cannot be known,
      // so no write (and no audit entry announced after a commit) may join it.
      throw new Error('a transaction was opened outside Catalogue.write: catalogue writes refused');
    }
    const committed: (() => void)[] = [];
    const tx: CatalogueWrite = {
      ...this.writable,
      afterCommit: (then) => committed.push(then),
    };
    this.open = { tx, committed };
    let result: T;
    try {
      result = this.db.transaction(() => work(tx)).immediate();
    } finally {
      this.open = null;
    }
    for (const then of committed) then();
    return result;
  }

  /**
   * Runs `work`, which only reads, on one snapshot of the catalogue (a deferred transaction): a
   * check that reads several tables never sees another process's commit half-way through.
   */
  snapshot<T>(work: () => T): T {
    if (this.db.inTransaction) return work();
    return this.db.transaction(work).deferred();
  }

  /** D-SUPERVISION: the compliance figures of a period (see complianceFigures). */
  compliance(query: ComplianceQuery): ComplianceFiguresResult {
    return complianceFigures(this.sql, query);
  }

  get file(): string {
    return this.db.name;
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  /** Folds the WAL into the main file, so a stopped station leaves one self-contained file. */
  close(): void {
    closeCatalogue(this.db);
  }
}
