-- The register of 志愿服务证明 serial numbers (issue #8).
SELECT 1;
