WITH
src AS (
  SELECT
    "Customer ID" AS raw_c,
    CAST("date" AS DATE) AS raw_d,
    CASE WHEN "mrr" IS NULL THEN 0 ELSE CAST("mrr" * CAST(1000000 AS DECIMAL(38, 0)) AS DECIMAL(38, 0)) END AS u,
    CASE WHEN "mrr" IS NULL THEN 1 ELSE 0 END AS row_missing,
    CASE WHEN "mrr" * CAST(1000000 AS DECIMAL(38, 0)) <> FLOOR("mrr" * CAST(1000000 AS DECIMAL(38, 0))) THEN 1 ELSE 0 END AS row_past_6,
    CASE WHEN "plan" IS NULL OR TRIM(BOTH ' ' || chr(9) FROM CAST("plan" AS VARCHAR)) = '' THEN '(blank)' ELSE TRIM(BOTH ' ' || chr(9) FROM CAST("plan" AS VARCHAR)) END AS g,
    "line" AS o
  FROM "analytics"."mrr ""snapshots"""
),
by_id AS (
  SELECT raw_c, raw_d, SUM(u) AS id_sum, SUM(row_missing) AS id_missing, SUM(row_past_6) AS id_past_6
  FROM src GROUP BY raw_c, raw_d
),
named AS (
  SELECT CASE WHEN raw_c IS NULL OR TRIM(BOTH ' ' || chr(9) FROM CAST(raw_c AS VARCHAR)) = '' THEN CAST(fail('ndr: empty customer id in column Customer ID' || COALESCE(SUBSTR(CAST(raw_c AS VARCHAR), 1, 0), '')) AS VARCHAR) ELSE TRIM(BOTH ' ' || chr(9) FROM CAST(raw_c AS VARCHAR)) END AS c, CASE WHEN raw_d IS NULL THEN CAST(fail('ndr: empty date in column date' || COALESCE(SUBSTR(CAST(raw_c AS VARCHAR), 1, 0), '')) AS DATE) ELSE raw_d END AS d, CASE WHEN id_missing > 0 THEN CAST(fail('ndr: empty amount in column mrr' || COALESCE(SUBSTR(CAST(raw_c AS VARCHAR), 1, 0), '')) AS DECIMAL(38, 0)) ELSE CASE WHEN id_past_6 > 0 THEN CAST(fail('ndr: an amount with more than 6 decimals in column mrr: ' || COALESCE(SUBSTR(CAST(raw_c AS VARCHAR), 1, 0), '')) AS DECIMAL(38, 0)) ELSE id_sum END END AS amount
  FROM by_id
),
totals AS (
  SELECT c, d, CASE WHEN SUM(amount) < 0 THEN CAST(fail('ndr: a customer has a negative total MRR: ' || c || ' on ' || CAST(d AS VARCHAR)) AS DECIMAL(38, 0)) ELSE CASE WHEN SUM(amount) > 9223372036854775807 THEN CAST(fail('ndr: a customer''s total MRR is too large: ' || c || ' on ' || CAST(d AS VARCHAR)) AS DECIMAL(38, 0)) ELSE SUM(amount) END END AS m
  FROM named GROUP BY c, d
),
segment_rows AS (
  SELECT TRIM(BOTH ' ' || chr(9) FROM CAST(raw_c AS VARCHAR)) AS c, raw_d AS d, g, ROW_NUMBER() OVER (PARTITION BY TRIM(BOTH ' ' || chr(9) FROM CAST(raw_c AS VARCHAR)), raw_d ORDER BY u DESC, o, g) AS r
  FROM src
),
segments AS (
  SELECT c, d, g FROM segment_rows WHERE r = 1
),
dates AS (
  SELECT d, ROW_NUMBER() OVER (ORDER BY d) AS k, (((CAST(EXTRACT(YEAR FROM d) AS BIGINT) * 12 + CAST(EXTRACT(MONTH FROM d) AS BIGINT) - 1 + 9) - MOD((CAST(EXTRACT(YEAR FROM d) AS BIGINT) * 12 + CAST(EXTRACT(MONTH FROM d) AS BIGINT) - 1 + 9), 3)) / (3)) AS p
  FROM (SELECT DISTINCT d FROM totals) x
),
period_ends AS (
  SELECT p, MAX(k) AS end_k, MAX(d) AS end_d FROM dates GROUP BY p
),
report_rows AS (
  SELECT e.p AS p, s.end_k AS sk, e.end_k AS ek, s.end_d AS sd, e.end_d AS ed
  FROM period_ends e JOIN period_ends s ON s.p = e.p - 2
  WHERE e.p >= 8096 AND e.p <= 8103
),
paying AS (
  SELECT t.c AS c, x.k AS k, t.m AS m, ROW_NUMBER() OVER (PARTITION BY t.c ORDER BY x.k) AS rk, g.g AS g
  FROM totals t JOIN dates x ON x.d = t.d
  JOIN segments g ON g.c = t.c AND g.d = t.d
  WHERE t.m > 0
),
first_paid AS (
  SELECT c, MIN(k) AS fk FROM paying GROUP BY c
),
starts AS (
  SELECT r.p AS p, x.c AS c, x.m AS s, x.rk AS srk, x.g AS sg FROM report_rows r JOIN paying x ON x.k = r.sk
),
finishes AS (
  SELECT r.p AS p, x.c AS c, x.m AS e, x.rk AS erk, x.g AS eg FROM report_rows r JOIN paying x ON x.k = r.ek
),
both_ends AS (
  SELECT COALESCE(a.p, b.p) AS p, COALESCE(a.c, b.c) AS c, COALESCE(a.s, 0) AS s, COALESCE(b.e, 0) AS e, a.srk AS srk, b.erk AS erk, COALESCE(a.sg, b.eg) AS g
  FROM starts a FULL OUTER JOIN finishes b ON a.p = b.p AND a.c = b.c
),
classified AS (
  SELECT b.p AS p, b.g AS g, b.s AS s, b.e AS e,
    CASE WHEN b.s > 0 THEN 1 ELSE 0 END AS cohort,
    CASE WHEN b.s > 0 AND (b.e = 0) THEN 1 ELSE 0 END AS churned,
    CASE WHEN b.s = 0 AND f.fk < r.sk THEN 1 ELSE 0 END AS back
  FROM both_ends b JOIN report_rows r ON r.p = b.p JOIN first_paid f ON f.c = b.c
),
sums AS (
  SELECT r.p AS p, r.sd AS sd, r.ed AS ed, 1 AS total, '' AS g,
    COALESCE(SUM(CASE WHEN x.cohort = 1 THEN 1 ELSE 0 END), 0) AS cohort_n,
    COALESCE(SUM(CASE WHEN x.cohort = 1 AND x.churned = 0 AND x.e > x.s THEN 1 ELSE 0 END), 0) AS expanded_n,
    COALESCE(SUM(CASE WHEN x.cohort = 1 AND x.churned = 0 AND x.e < x.s THEN 1 ELSE 0 END), 0) AS contracted_n,
    COALESCE(SUM(CASE WHEN x.churned = 1 THEN 1 ELSE 0 END), 0) AS churned_n,
    COALESCE(SUM(CASE WHEN x.cohort = 1 THEN x.s ELSE 0 END), 0) AS starting,
    COALESCE(SUM(CASE WHEN x.cohort = 1 AND x.churned = 0 AND x.e > x.s THEN x.e - x.s ELSE 0 END), 0) AS expansion,
    COALESCE(SUM(CASE WHEN x.cohort = 1 AND x.churned = 0 AND x.e < x.s THEN x.s - x.e ELSE 0 END), 0) AS contraction,
    COALESCE(SUM(CASE WHEN x.churned = 1 THEN x.s ELSE 0 END), 0) AS churn,
    COALESCE(SUM(CASE WHEN ((x.churned = 1 AND x.e > 0) OR x.back = 1) THEN x.e ELSE 0 END), 0) AS reactivation,
    COALESCE(SUM(CASE WHEN ((x.churned = 1 AND x.e > 0) OR x.back = 1) THEN 1 ELSE 0 END), 0) AS reactivated_n,
    COALESCE(SUM(CASE WHEN x.cohort = 0 AND x.e > 0 AND x.back = 0 THEN x.e ELSE 0 END), 0) AS fresh_mrr,
    COALESCE(SUM(CASE WHEN x.cohort = 0 AND x.e > 0 AND x.back = 0 THEN 1 ELSE 0 END), 0) AS new_n
  FROM report_rows r LEFT JOIN classified x ON x.p = r.p
  GROUP BY r.p, r.sd, r.ed
  UNION ALL
  SELECT r.p, r.sd, r.ed, 0, x.g,
    COALESCE(SUM(CASE WHEN x.cohort = 1 THEN 1 ELSE 0 END), 0) AS cohort_n,
    COALESCE(SUM(CASE WHEN x.cohort = 1 AND x.churned = 0 AND x.e > x.s THEN 1 ELSE 0 END), 0) AS expanded_n,
    COALESCE(SUM(CASE WHEN x.cohort = 1 AND x.churned = 0 AND x.e < x.s THEN 1 ELSE 0 END), 0) AS contracted_n,
    COALESCE(SUM(CASE WHEN x.churned = 1 THEN 1 ELSE 0 END), 0) AS churned_n,
    COALESCE(SUM(CASE WHEN x.cohort = 1 THEN x.s ELSE 0 END), 0) AS starting,
    COALESCE(SUM(CASE WHEN x.cohort = 1 AND x.churned = 0 AND x.e > x.s THEN x.e - x.s ELSE 0 END), 0) AS expansion,
    COALESCE(SUM(CASE WHEN x.cohort = 1 AND x.churned = 0 AND x.e < x.s THEN x.s - x.e ELSE 0 END), 0) AS contraction,
    COALESCE(SUM(CASE WHEN x.churned = 1 THEN x.s ELSE 0 END), 0) AS churn,
    COALESCE(SUM(CASE WHEN ((x.churned = 1 AND x.e > 0) OR x.back = 1) THEN x.e ELSE 0 END), 0) AS reactivation,
    COALESCE(SUM(CASE WHEN ((x.churned = 1 AND x.e > 0) OR x.back = 1) THEN 1 ELSE 0 END), 0) AS reactivated_n,
    COALESCE(SUM(CASE WHEN x.cohort = 0 AND x.e > 0 AND x.back = 0 THEN x.e ELSE 0 END), 0) AS fresh_mrr,
    COALESCE(SUM(CASE WHEN x.cohort = 0 AND x.e > 0 AND x.back = 0 THEN 1 ELSE 0 END), 0) AS new_n
  FROM report_rows r JOIN classified x ON x.p = r.p
  GROUP BY r.p, r.sd, r.ed, x.g
)
SELECT
  'FY' || LPAD(CAST(((p - MOD(p, 4)) / (4)) AS VARCHAR), 4, '0') || '-Q' || CAST(mod(p, 4) + 1 AS VARCHAR) AS "period",
  CAST(sd AS VARCHAR) AS "start_date",
  CAST(ed AS VARCHAR) AS "end_date",
  CASE WHEN total = 1 THEN '(all)' WHEN SUBSTR(g, 1, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || g ELSE g END AS "segment",
  CAST(cohort_n AS VARCHAR) AS "cohort_customers",
  CAST(cohort_n - churned_n AS VARCHAR) AS "retained_customers",
  CAST(expanded_n AS VARCHAR) AS "expanded_customers",
  CAST(contracted_n AS VARCHAR) AS "contracted_customers",
  CAST(churned_n AS VARCHAR) AS "churned_customers",
  CAST((((((starting) * 12 + 5000 - MOD((starting) * 12 + 5000, 10000)) / (10000)) - MOD((((starting) * 12 + 5000 - MOD((starting) * 12 + 5000, 10000)) / (10000)), 100)) / (100)) AS VARCHAR) || '.' || LPAD(CAST(mod((((starting) * 12 + 5000 - MOD((starting) * 12 + 5000, 10000)) / (10000)), 100) AS VARCHAR), 2, '0') AS "starting_arr",
  CAST((((((expansion) * 12 + 5000 - MOD((expansion) * 12 + 5000, 10000)) / (10000)) - MOD((((expansion) * 12 + 5000 - MOD((expansion) * 12 + 5000, 10000)) / (10000)), 100)) / (100)) AS VARCHAR) || '.' || LPAD(CAST(mod((((expansion) * 12 + 5000 - MOD((expansion) * 12 + 5000, 10000)) / (10000)), 100) AS VARCHAR), 2, '0') AS "expansion_arr",
  CAST((((((contraction) * 12 + 5000 - MOD((contraction) * 12 + 5000, 10000)) / (10000)) - MOD((((contraction) * 12 + 5000 - MOD((contraction) * 12 + 5000, 10000)) / (10000)), 100)) / (100)) AS VARCHAR) || '.' || LPAD(CAST(mod((((contraction) * 12 + 5000 - MOD((contraction) * 12 + 5000, 10000)) / (10000)), 100) AS VARCHAR), 2, '0') AS "contraction_arr",
  CAST((((((churn) * 12 + 5000 - MOD((churn) * 12 + 5000, 10000)) / (10000)) - MOD((((churn) * 12 + 5000 - MOD((churn) * 12 + 5000, 10000)) / (10000)), 100)) / (100)) AS VARCHAR) || '.' || LPAD(CAST(mod((((churn) * 12 + 5000 - MOD((churn) * 12 + 5000, 10000)) / (10000)), 100) AS VARCHAR), 2, '0') AS "churned_arr",
  CAST(((((((starting + expansion - contraction - churn)) * 12 + 5000 - MOD(((starting + expansion - contraction - churn)) * 12 + 5000, 10000)) / (10000)) - MOD(((((starting + expansion - contraction - churn)) * 12 + 5000 - MOD(((starting + expansion - contraction - churn)) * 12 + 5000, 10000)) / (10000)), 100)) / (100)) AS VARCHAR) || '.' || LPAD(CAST(mod(((((starting + expansion - contraction - churn)) * 12 + 5000 - MOD(((starting + expansion - contraction - churn)) * 12 + 5000, 10000)) / (10000)), 100) AS VARCHAR), 2, '0') AS "ending_arr",
  CASE WHEN starting = 0 THEN NULL ELSE CAST(((((2 * 10000 * ((starting + expansion - contraction - churn)) + starting - MOD(2 * 10000 * ((starting + expansion - contraction - churn)) + starting, 2 * starting)) / (2 * starting)) - MOD(((2 * 10000 * ((starting + expansion - contraction - churn)) + starting - MOD(2 * 10000 * ((starting + expansion - contraction - churn)) + starting, 2 * starting)) / (2 * starting)), 10000)) / (10000)) AS VARCHAR) || '.' || LPAD(CAST(mod(((2 * 10000 * ((starting + expansion - contraction - churn)) + starting - MOD(2 * 10000 * ((starting + expansion - contraction - churn)) + starting, 2 * starting)) / (2 * starting)), 10000) AS VARCHAR), 4, '0') END AS "ndr",
  CASE WHEN starting = 0 THEN NULL ELSE CAST(((((2 * 10000 * (starting - contraction - churn) + starting - MOD(2 * 10000 * (starting - contraction - churn) + starting, 2 * starting)) / (2 * starting)) - MOD(((2 * 10000 * (starting - contraction - churn) + starting - MOD(2 * 10000 * (starting - contraction - churn) + starting, 2 * starting)) / (2 * starting)), 10000)) / (10000)) AS VARCHAR) || '.' || LPAD(CAST(mod(((2 * 10000 * (starting - contraction - churn) + starting - MOD(2 * 10000 * (starting - contraction - churn) + starting, 2 * starting)) / (2 * starting)), 10000) AS VARCHAR), 4, '0') END AS "grr",
  CASE WHEN cohort_n = 0 THEN NULL ELSE CAST(((((2 * 10000 * (cohort_n - churned_n) + cohort_n - MOD(2 * 10000 * (cohort_n - churned_n) + cohort_n, 2 * cohort_n)) / (2 * cohort_n)) - MOD(((2 * 10000 * (cohort_n - churned_n) + cohort_n - MOD(2 * 10000 * (cohort_n - churned_n) + cohort_n, 2 * cohort_n)) / (2 * cohort_n)), 10000)) / (10000)) AS VARCHAR) || '.' || LPAD(CAST(mod(((2 * 10000 * (cohort_n - churned_n) + cohort_n - MOD(2 * 10000 * (cohort_n - churned_n) + cohort_n, 2 * cohort_n)) / (2 * cohort_n)), 10000) AS VARCHAR), 4, '0') END AS "logo_retention",
  CAST((((((reactivation) * 12 + 5000 - MOD((reactivation) * 12 + 5000, 10000)) / (10000)) - MOD((((reactivation) * 12 + 5000 - MOD((reactivation) * 12 + 5000, 10000)) / (10000)), 100)) / (100)) AS VARCHAR) || '.' || LPAD(CAST(mod((((reactivation) * 12 + 5000 - MOD((reactivation) * 12 + 5000, 10000)) / (10000)), 100) AS VARCHAR), 2, '0') AS "reactivation_arr",
  CAST(reactivated_n AS VARCHAR) AS "reactivated_customers",
  CAST((((((fresh_mrr) * 12 + 5000 - MOD((fresh_mrr) * 12 + 5000, 10000)) / (10000)) - MOD((((fresh_mrr) * 12 + 5000 - MOD((fresh_mrr) * 12 + 5000, 10000)) / (10000)), 100)) / (100)) AS VARCHAR) || '.' || LPAD(CAST(mod((((fresh_mrr) * 12 + 5000 - MOD((fresh_mrr) * 12 + 5000, 10000)) / (10000)), 100) AS VARCHAR), 2, '0') AS "new_arr",
  CAST(new_n AS VARCHAR) AS "new_customers"
FROM sums
ORDER BY p, total, g
