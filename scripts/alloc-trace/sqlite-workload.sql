CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL, tag TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 40000)
INSERT INTO t(name, score, tag) SELECT printf('name-%d-%s', i, hex(randomblob(8))), (i * 7919) % 1000 / 10.0, substr('abcdefghij', i % 10 + 1, 1) FROM n;
CREATE INDEX t_name ON t(name);
CREATE INDEX t_tag_score ON t(tag, score);
SELECT tag, count(*), avg(score), max(name) FROM t GROUP BY tag ORDER BY 2 DESC;
DELETE FROM t WHERE id % 3 = 0;
SELECT count(*) FROM t a JOIN t b ON a.tag = b.tag AND a.id + 1 = b.id;
SELECT group_concat(name, ',') FROM (SELECT name FROM t ORDER BY score DESC, name LIMIT 2000);
VACUUM;
