// Runs `ndr sql --dialect clickhouse`'s queries in ClickHouse (chDB, the
// npm package chdb: ClickHouse in-process), with the protocol of
// duckdb_run.mjs: "load TABLE FILE.csv" → "ok"; "query FILE.sql OUT" → "0"
// and the result in OUT as CSV (a header, NULL as an empty field, a field
// quoted when it holds a comma, a quote or a line break), or "1" and the
// error in OUT. Tables are Memory tables of Nullable columns: text except
// line (Int64), date (Date) and mrr (Decimal(38, 10)).
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Session } from 'chdb';

const session = new Session();
const typed = { line: 'Int64', date: 'Date', mrr: 'Decimal(38, 10)' };
const quote = (name) => '"' + name.replace(/"/g, '""') + '"';
const literal = (text) => "'" + text.replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";
const field = (v) => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
};

function load(name, file) {
  const header = readFileSync(file, 'utf8').split('\n')[0].split(',');
  const structure = header.map((c) => `${quote(c)} Nullable(${typed[c] ?? 'String'})`).join(', ');
  session.query(`CREATE TABLE ${quote(name)} ENGINE = Memory AS SELECT * FROM ` +
    `file(${literal(file)}, 'CSVWithNames', ${literal(structure)})`);
  return 'ok';
}

function query(file, out) {
  try {
    const text = session.query(readFileSync(file, 'utf8'), 'JSONCompact');
    const result = JSON.parse(text);
    const lines = [result.meta.map((m) => field(m.name)).join(',')];
    for (const row of result.data) lines.push(row.map(field).join(','));
    writeFileSync(out, lines.join('\n') + '\n');
    return '0';
  } catch (e) {
    writeFileSync(out, String(e.message ?? e).split('\n')[0] + '\n');
    return '1';
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  const [command, a, b] = line.split(' ');
  process.stdout.write((command === 'load' ? load(a, b) : query(a, b)) + '\n');
}
