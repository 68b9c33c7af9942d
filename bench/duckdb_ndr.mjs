// The NDR report of a snapshot CSV computed by DuckDB, for bench/run.sh:
// `ndr sql --dialect duckdb` over a view of the file, read by DuckDB's own
// CSV reader, printed as ndr prints CSV (the query's columns are its text),
// so the result can be compared with `ndr report --format csv` byte for
// byte, and DuckDB's time includes reading the file, as ndr's does.
//   node duckdb_ndr.mjs NDR FILE WINDOW
import { execFileSync } from 'node:child_process';
import { DuckDBInstance } from '@duckdb/node-api';

const [ndr, file, windowArg] = process.argv.slice(2);
const query = execFileSync(ndr, ['sql', '--dialect', 'duckdb', '--table', 'snaps',
  '--window', String(windowArg ?? 1)], { encoding: 'utf8' });
const instance = await DuckDBInstance.create(':memory:');
const db = await instance.connect();
await db.run(`CREATE VIEW snaps AS SELECT * FROM read_csv('${file.replace(/'/g, "''")}',
  header = true, columns = {'customer_id': 'VARCHAR', 'date': 'DATE', 'mrr': 'DECIMAL(18,6)',
  'plan': 'VARCHAR', 'region': 'VARCHAR'})`);
const result = await db.runAndReadAll(query);
const field = (v) => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
};
const lines = [result.columnNames().map(field).join(',')];
for (const row of result.getRows()) lines.push(row.map(field).join(','));
process.stdout.write(lines.join('\n') + '\n');
