import type Database from 'better-sqlite3';

/**
 * The catalogue's statements, each prepared once and kept (Signal Desktop's statement cache):
 * preparing is parsing and planning, and a page of the Dock or the clips browser runs dozens.
 * Reading statements are checked to be read-only when first prepared; a writing statement runs
 * only inside `Catalogue.write`, so a change and its audit entry always commit together.
 */
export class Sql {
  private readonly statements = new Map<string, Database.Statement>();
  /** Searches build their SQL from the filters given: bounded, in case of many combinations. */
  private static readonly LIMIT = 1000;

  constructor(private readonly db: Database.Database) {}

  /** A statement that only reads. */
  read<P extends unknown[] | object = unknown[], R = unknown>(
    text: string,
  ): Database.Statement<P, R> {
    const statement = this.prepared(text);
    if (!statement.readonly) throw new Error(`not a reading statement: ${text.slice(0, 80)}`);
    // Statements are shared by their text: callers never change a statement's mode (pluck,
    // raw, expand), so that each gets rows as the statement was prepared.
    return statement as unknown as Database.Statement<P, R>;
  }

  /** A statement that changes the catalogue: refused outside a transaction. */
  write<P extends unknown[] | object = unknown[]>(text: string): Database.Statement<P, unknown> {
    if (!this.db.inTransaction) {
      throw new Error('a catalogue write runs inside Catalogue.write(), with its audit entry');
    }
    return this.prepared(text) as unknown as Database.Statement<P, unknown>;
  }

  private prepared(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (statement === undefined) {
      if (this.statements.size >= Sql.LIMIT) this.statements.clear();
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }
}

/** A list of ids bound as one JSON parameter: one statement whatever the list's length. */
export function idList(ids: readonly number[]): string {
  return JSON.stringify(ids);
}
