-- API tokens named as the dialer names its own requests ('schedule', 'end of list', 'unknown', 'after <campaign>')
-- passed for them in runs, and autoRun started again what a token named 'end of list' had stopped. New names are
-- refused (src/requesters.ts); those made before are renamed 'token <name>', which no reserved name starts with.
UPDATE "ApiToken" SET name = 'token ' || name
 WHERE lower(btrim(name)) IN ('schedule', 'end of list', 'unknown') OR lower(btrim(name)) LIKE 'after %';
