// Runs `ndr sql --dialect duckdb`'s queries in DuckDB (the npm package
// @duckdb/node-api), one process for a whole test script. Commands, one per
// line on standard input, each answered with one line on standard output:
//   load TABLE FILE.csv   → "ok": the CSV as TABLE; its columns are text
//                           except line (BIGINT), date (DATE) and mrr
//                           (DECIMAL(38, 10), so a 7th decimal reaches the
//                           query's check)
//   query FILE.sql OUT    → "0", the result in OUT as CSV the way ndr and
//                           psql print it (a header, NULL as an empty field,
//                           a field quoted when it holds a comma, a quote or
//                           a line break); or "1", the error in OUT.
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { DuckDBInstance } from '@duckdb/node-api';

const instance = await DuckDBInstance.create(':memory:');
const db = await instance.connect();
const typed = { line: 'BIGINT', date: 'DATE', mrr: 'DECIMAL(38, 10)' };
const quote = (name) => '"' + name.replace(/"/g, '""') + '"';
const literal = (text) => "'" + text.replace(/'/g, "''") + "'";
const field = (v) => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
};

async function load(name, file) {
  const header = readFileSync(file, 'utf8').split('\n')[0].split(',');
  const columns = header.map((c) => `CAST(${quote(c)} AS ${typed[c] ?? 'VARCHAR'}) AS ${quote(c)}`);
  await db.run(`CREATE TABLE ${quote(name)} AS SELECT ${columns.join(', ')} FROM ` +
    `read_csv(${literal(file)}, header = true, all_varchar = true)`);
  return 'ok';
}

async function query(file, out) {
  try {
    const result = await db.runAndReadAll(readFileSync(file, 'utf8'));
    const lines = [result.columnNames().map(field).join(',')];
    for (const row of result.getRows()) lines.push(row.map(field).join(','));
    writeFileSync(out, lines.join('\n') + '\n');
    return '0';
  } catch (e) {
    writeFileSync(out, String(e.message ?? e) + '\n');
    return '1';
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  const [command, a, b] = line.split(' ');
  const answer = command === 'load' ? await load(a, b) : await query(a, b);
  process.stdout.write(answer + '\n');
}
