-- Ledger layout for year-end sums at scale (issue #5).
SELECT 1;
