-- Accounts, roles and the hash-chained audit log (issue #6).
SELECT 1;
