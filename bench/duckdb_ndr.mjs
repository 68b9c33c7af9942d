// The same NDR report as `ndr report FILE --format csv [--window W]` (monthly,
// reactivation separate), computed by DuckDB in SQL, for bench/run.sh.
// Money is kept as integer millionths (HUGEINT) and ratios are rounded in
// integer arithmetic, so the output can be compared with ndr's byte for byte.
//   node duckdb_ndr.mjs FILE WINDOW
import { DuckDBInstance } from '@duckdb/node-api';

const [file, windowArg] = process.argv.slice(2);
const W = Number(windowArg ?? 1);
const sql = `
WITH raw AS (
  SELECT customer_id AS c, date AS d, CAST(round(mrr * 1000000) AS HUGEINT) AS m
  FROM read_csv('${file.replace(/'/g, "''")}', header = true,
                columns = {'customer_id': 'VARCHAR', 'date': 'DATE', 'mrr': 'DECIMAL(18,6)',
                           'plan': 'VARCHAR', 'region': 'VARCHAR'})),
snap AS (SELECT c, d, sum(m) AS m FROM raw GROUP BY c, d),
dn AS (SELECT d, row_number() OVER (ORDER BY d) AS k FROM (SELECT DISTINCT d FROM raw)),
pe AS (SELECT year(d) * 12 + month(d) - 1 AS p, max(k) AS k, max(d) AS d FROM dn GROUP BY 1),
rws AS (SELECT e.p, s.d AS sd, e.d AS ed, s.k AS sk, e.k AS ek
        FROM pe e JOIN pe s ON s.p = e.p - ${W}),
pos AS (SELECT c, k, m, row_number() OVER (PARTITION BY c ORDER BY k) AS rk
        FROM snap JOIN dn USING (d) WHERE m > 0),
first_pos AS (SELECT c, min(k) AS fk FROM pos GROUP BY c),
st AS (SELECT r.p, x.c, x.m AS s, x.rk AS srk FROM rws r JOIN pos x ON x.k = r.sk),
en AS (SELECT r.p, x.c, x.m AS e, x.rk AS erk FROM rws r JOIN pos x ON x.k = r.ek),
both_ends AS (
  SELECT coalesce(st.p, en.p) AS p, coalesce(st.c, en.c) AS c,
         coalesce(st.s, 0) AS s, coalesce(en.e, 0) AS e, st.srk, en.erk
  FROM st FULL OUTER JOIN en ON st.p = en.p AND st.c = en.c),
cls AS (
  SELECT b.p, b.s, b.e, r.sd, r.ed,
         b.s > 0 AS cohort,
         b.s > 0 AND (b.e = 0 OR (b.erk - b.srk) < (r.ek - r.sk)) AS churned,
         b.s = 0 AND f.fk < r.sk AS back
  FROM both_ends b JOIN rws r USING (p) JOIN first_pos f USING (c))
SELECT p, any_value(sd) AS sd, any_value(ed) AS ed,
  count(*) FILTER (WHERE cohort) AS cohort_customers,
  count(*) FILTER (WHERE cohort AND NOT churned AND e > s) AS expanded,
  count(*) FILTER (WHERE cohort AND NOT churned AND e < s) AS contracted,
  count(*) FILTER (WHERE churned) AS churned_customers,
  coalesce(sum(s) FILTER (WHERE cohort), 0) AS starting,
  coalesce(sum(e - s) FILTER (WHERE cohort AND NOT churned AND e > s), 0) AS expansion,
  coalesce(sum(s - e) FILTER (WHERE cohort AND NOT churned AND e < s), 0) AS contraction,
  coalesce(sum(s) FILTER (WHERE churned), 0) AS churn,
  coalesce(sum(e) FILTER (WHERE (churned AND e > 0) OR back), 0) AS reactivation,
  count(*) FILTER (WHERE (churned AND e > 0) OR back) AS reactivated,
  coalesce(sum(e) FILTER (WHERE NOT cohort AND e > 0 AND NOT back), 0) AS new_mrr,
  count(*) FILTER (WHERE NOT cohort AND e > 0 AND NOT back) AS new_customers
FROM cls GROUP BY p ORDER BY p`;

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const result = await connection.runAndReadAll(sql);

const big = (v) => BigInt(v);
// Half away from zero: values here are never negative.
const divRound = (n, d) => (2n * n + d) / (2n * d);
const money = (units) => {
  const cents = divRound(units, 10000n);
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
};
const ratio = (n, d) => {
  if (d === 0n) return '';
  const q = divRound(n * 10000n, d);
  return `${q / 10000n}.${String(q % 10000n).padStart(4, '0')}`;
};
const day = (v) => v.toString();
const label = (p) => `${Math.floor(p / 12)}-${String((p % 12) + 1).padStart(2, '0')}`;

const lines = ['period,start_date,end_date,cohort_customers,retained_customers,expanded_customers,' +
  'contracted_customers,churned_customers,starting_mrr,expansion_mrr,contraction_mrr,churned_mrr,' +
  'ending_mrr,ndr,grr,logo_retention,reactivation_mrr,reactivated_customers,new_mrr,new_customers'];
for (const r of result.getRowObjects()) {
  const cohort = big(r.cohort_customers), churned = big(r.churned_customers);
  const starting = big(r.starting), expansion = big(r.expansion);
  const contraction = big(r.contraction), churn = big(r.churn);
  const ending = starting + expansion - contraction - churn;
  lines.push([label(Number(r.p)), day(r.sd), day(r.ed), cohort, cohort - churned, big(r.expanded),
    big(r.contracted), churned, money(starting), money(expansion), money(contraction), money(churn),
    money(ending), ratio(ending, starting), ratio(starting - contraction - churn, starting),
    ratio(cohort - churned, cohort), money(big(r.reactivation)), big(r.reactivated),
    money(big(r.new_mrr)), big(r.new_customers)].join(','));
}
process.stdout.write(lines.join('\n') + '\n');
