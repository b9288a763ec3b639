import { ParquetColumnsFile, type ColumnKind, type ColumnSpec } from './columns-file.ts';

// Record labels (event types, truth kinds) whose row shapes are kept; a simulator has about a hundred.
const MAX_SHAPES = 4096;

type Column = { index: number; kind: ColumnKind };

/**
 * The columns of one label's fields, learned from its first record: its
 * field names in order and each name's column (undefined for a name that is
 * not a column). Later records of the label use a learned column only
 * where their own name at that place is the same string, so a record with
 * other fields is still set by name.
 */
interface RowShape {
  names: string[];
  columns: Array<Column | undefined>;
}

const KIND_BY_DUCKDB_TYPE: Record<string, ColumnKind> = { BIGINT: 'int64', VARCHAR: 'string', JSON: 'json', BOOLEAN: 'bool' };

/** Metadata every missionbench Parquet sidecar carries: what it was written from and for. */
export const SIDECAR_METADATA = {
  /** JSON [[name, DuckDB type], ...]: the file's columns, constants first. */
  columns: 'missionbench.columns',
  /** JSON {name: value}: the constant columns (run id, grid values). */
  constants: 'missionbench.constants',
  /** SHA-256 of the JSON Lines file these rows were taken from (as the manifest records it). */
  sha256: 'missionbench.sha256',
} as const;

/**
 * Rows of named, typed fields into a Parquet file whose columns are given
 * as DuckDB types (the types `analyze` reads the JSON Lines with), after
 * some constant text columns. A value that does not fit its column's type
 * makes the file unusable: it is dropped at close, never written wrong.
 */
export class TypedRows {
  private readonly file: ParquetColumnsFile;
  private readonly byName = new Map<string, Column>();
  private readonly shapes = new Map<string, RowShape>();
  private readonly columns: Array<[string, string]>;
  private unusable: string | undefined;

  constructor(
    path: string,
    columns: ReadonlyArray<[name: string, duckdbType: string]>,
    private readonly constants: ReadonlyArray<[name: string, value: string]>,
  ) {
    const specs: ColumnSpec[] = constants.map(([name, value]) => ({ name, kind: 'string', constant: value }));
    for (const [name, type] of columns) {
      const kind = KIND_BY_DUCKDB_TYPE[type];
      if (kind === undefined) throw new Error(`column ${name} has type ${type}; a sidecar holds only ${Object.keys(KIND_BY_DUCKDB_TYPE).join(', ')}`);
      this.byName.set(name, { index: specs.length, kind });
      specs.push({ name, kind });
    }
    this.columns = [...constants.map(([name]): [string, string] => [name, 'VARCHAR']), ...columns];
    this.file = new ParquetColumnsFile(path, specs);
  }

  /**
   * The column index of field `name`, or -1 if it is not a column, for a
   * caller that sets it by index with the setter of `kind` (what setFields
   * would use for a value of that type); a column of another kind is a bug.
   */
  columnOf(name: string, kind: ColumnKind): number {
    const column = this.byName.get(name);
    if (column === undefined) return -1;
    if (column.kind !== kind) throw new Error(`column ${name} is ${column.kind}, not ${kind}`);
    return column.index;
  }

  /** The column index of field `name` (for callers that set the same fields every row). */
  indexOf(name: string): number {
    const column = this.byName.get(name);
    if (column === undefined) throw new Error(`no column ${name}`);
    return column.index;
  }

  /** SHA-256 (hex) of the file as closed; undefined before close and for a dropped file. */
  get fileSha256(): string | undefined {
    return this.file.sha256;
  }

  /** Why the file will be dropped, if it will. */
  get droppedBecause(): string | undefined {
    return this.unusable;
  }

  /** Sets the fields of `record` that are columns (others are ignored; undefined and null stay null). */
  setFields(record: Readonly<Record<string, unknown>>, label: string): void {
    if (this.unusable !== undefined) return;
    const shape = this.shapes.get(label) ?? this.learn(record, label);
    let at = 0;
    for (const name in record) {
      const column = name === shape.names[at] ? shape.columns[at] : this.byName.get(name);
      at++;
      if (column === undefined) continue;
      const value = record[name];
      if (value === undefined || value === null) continue;
      if (column.kind === 'string' && typeof value === 'string') this.file.setText(column.index, value);
      else if (column.kind === 'int64' && Number.isSafeInteger(value)) this.file.setInteger(column.index, value as number);
      else if (column.kind === 'bool' && typeof value === 'boolean') this.file.setBoolean(column.index, value);
      else if (column.kind === 'json') this.file.setText(column.index, JSON.stringify(value));
      else {
        this.unusable = `${label}.${name} is ${JSON.stringify(value)}, not ${column.kind}`;
        return;
      }
    }
  }

  private learn(record: Readonly<Record<string, unknown>>, label: string): RowShape {
    const names: string[] = [];
    for (const name in record) names.push(name);
    const shape = { names, columns: names.map((name) => this.byName.get(name)) };
    if (this.shapes.size < MAX_SHAPES) this.shapes.set(label, shape);
    return shape;
  }

  /** Direct setters for the fields a caller always has, by index. */
  setInteger(index: number, value: number): void {
    if (this.unusable === undefined) this.file.setInteger(index, value);
  }

  setText(index: number, value: string): void {
    if (this.unusable === undefined) this.file.setText(index, value);
  }

  setBoolean(index: number, value: boolean): void {
    if (this.unusable === undefined) this.file.setBoolean(index, value);
  }

  endRow(): void {
    if (this.unusable === undefined) this.file.endRow();
  }

  /** Writes the footer with the source file's SHA-256, or removes the file if a value did not fit; true if written. */
  close(sourceSha256: string): boolean {
    if (this.unusable !== undefined) {
      this.file.discard();
      return false;
    }
    this.file.close({
      [SIDECAR_METADATA.columns]: JSON.stringify(this.columns),
      [SIDECAR_METADATA.constants]: JSON.stringify(Object.fromEntries(this.constants)),
      [SIDECAR_METADATA.sha256]: sourceSha256,
    });
    return true;
  }
}
