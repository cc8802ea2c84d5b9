-- The 「好家风·好家训」 contest (issue #7).
SELECT 1;
