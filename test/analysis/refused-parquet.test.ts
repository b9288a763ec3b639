import { describe, expect, it } from 'vitest';
import { refusedParquetClause, refusedParquetLines } from '../../analysis/refused-parquet.ts';

// The words for refused Parquet files count tables, and say whose logs they came from.
describe('refused Parquet files, in words', () => {
  it('none: no clause, no line', () => {
    expect(refusedParquetClause([])).toBe('');
    expect(refusedParquetLines([])).toEqual([]);
  });

  it('one file: that table, from its run', () => {
    expect(refusedParquetClause([['a/seed=1', 'truth.parquet', 'differs']])).toBe(
      "; 1 table parsed from its run's logs: a/seed=1/truth.parquet is not the file the run wrote",
    );
    expect(refusedParquetLines([['a/seed=1', 'truth.parquet', 'unrecorded']])).toEqual([
      "Parquet files not used, no record in log-files.json to check them against: 1 (a/seed=1/truth.parquet); that table was parsed from its run's logs instead",
    ]);
  });

  it("both tables of one run: their run's logs, not their runs'", () => {
    const refused: Array<[string, string, 'differs']> = [
      ['a/seed=1', 'events.parquet', 'differs'],
      ['a/seed=1', 'truth.parquet', 'differs'],
    ];
    expect(refusedParquetClause(refused)).toBe("; 2 tables parsed from their run's logs: 2 Parquet files are not the files their runs wrote");
    expect(refusedParquetLines(refused)[0]).toMatch(/; those 2 tables were parsed from their run's logs instead$/);
  });

  it('files of several runs, for several reasons: one line per reason, in a fixed order, and every reason in the clause', () => {
    const refused: Array<[string, string, 'differs' | 'replaced' | 'missing']> = [
      ['b/seed=2', 'events.parquet', 'replaced'],
      ['a/seed=1', 'truth.parquet', 'differs'],
      ['c/seed=3', 'events.parquet', 'missing'],
    ];
    expect(refusedParquetClause(refused)).toBe(
      "; 3 tables parsed from their runs' logs: 1 Parquet file is not the file the run wrote, 1 Parquet file cannot be read, 1 Parquet file changed between its check and its link into the analysis",
    );
    const lines = refusedParquetLines(refused);
    expect(lines).toHaveLength(3);
    expect(lines.map((line) => line.slice(0, line.indexOf(':')))).toEqual([
      'Parquet files not used, not the files their runs wrote (neither stat nor SHA-256 matches log-files.json)',
      'Parquet files not used, recorded but unreadable',
      'Parquet files not used, replaced or changed between their check and their link into the analysis',
    ]);
  });

  it('names three files and counts the rest', () => {
    const refused = ['1', '2', '3', '4', '5'].map((n): [string, string, 'differs'] => [`r/seed=${n}`, 'events.parquet', 'differs']);
    expect(refusedParquetLines(refused)[0]).toContain(
      ": 5 (r/seed=1/events.parquet, r/seed=2/events.parquet, r/seed=3/events.parquet, and 2 more); those 5 tables were parsed from their runs' logs instead",
    );
  });
});
