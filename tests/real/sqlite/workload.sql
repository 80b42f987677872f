-- workload.sql - a SQLite workload for tests/real, run by the sqlite3 shell
-- on a database file: tables, indexes, a recursive CTE that fills 20000
-- rows, joins, aggregates, window functions, JSON, FTS5, math functions,
-- printf, triggers, views, a transaction rolled back, an error, VACUUM,
-- integrity_check and a partial .dump. Nothing printed depends on time or
-- on random().
.headers on
.mode list
PRAGMA journal_mode = DELETE;
PRAGMA page_size = 4096;

CREATE TABLE dept (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE emp (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  dept INTEGER REFERENCES dept(id),
  salary REAL,
  hired TEXT,
  tags TEXT
);
CREATE INDEX emp_dept ON emp(dept, salary);
CREATE TABLE audit (n INTEGER PRIMARY KEY, what TEXT);
CREATE TRIGGER emp_ins AFTER INSERT ON emp WHEN new.id % 5000 = 0
BEGIN
  INSERT INTO audit(what) VALUES ('hired ' || new.name);
END;

INSERT INTO dept(name) VALUES ('eng'), ('ops'), ('sales'), ('legal'), ('hr');

WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 20000)
INSERT INTO emp(id, name, dept, salary, hired, tags)
SELECT i,
       printf('emp%05d', (i * 7919) % 100000),
       1 + (i * 31) % 5,
       30000 + ((i * 2654435761) % 70000) + (i % 100) / 100.0,
       date('2000-01-01', '+' || ((i * 13) % 8000) || ' days'),
       json_array(i % 7, 'k' || (i % 3), json_object('lvl', i % 4))
FROM seq;

SELECT count(*) AS n, sum(salary) AS total, round(avg(salary), 3) AS mean,
       min(hired) AS first, max(hired) AS last FROM emp;
SELECT * FROM audit ORDER BY n;

SELECT d.name, count(*) AS n, round(avg(e.salary), 2) AS avg_salary,
       max(e.salary) AS top
FROM emp e JOIN dept d ON d.id = e.dept
GROUP BY d.name HAVING count(*) > 10 ORDER BY d.name;

SELECT name, dept, salary,
       rank() OVER (PARTITION BY dept ORDER BY salary DESC) AS r,
       round(sum(salary) OVER (PARTITION BY dept ORDER BY salary DESC
             ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), 2) AS run3,
       lag(name) OVER (PARTITION BY dept ORDER BY salary DESC) AS prev
FROM emp WHERE id % 997 = 0 ORDER BY dept, r LIMIT 20;

SELECT json_extract(tags, '$[0]') AS a, json_extract(tags, '$[2].lvl') AS lvl,
       count(*) AS n
FROM emp GROUP BY a, lvl ORDER BY a, lvl LIMIT 12;
SELECT json_group_array(name) FROM (SELECT name FROM emp ORDER BY id LIMIT 5);
SELECT key, value FROM json_each('{"x":1,"y":[2,3],"z":{"w":null}}') ORDER BY key;
SELECT json_patch('{"a":1,"b":2}', '{"b":null,"c":3}'), json_valid('{bad');

SELECT printf('%08.3f|%-8s|%x|%e|%,d', 3.14159, 'left', 48879, 12345.678, 1234567);
SELECT sqrt(2), pi(), pow(2, 10), log10(1000), ceil(-1.5), floor(-1.5), round(2.5);
SELECT upper('straße'), lower('ÀB'), length('héllo'), hex('hi'), quote('it''s'),
       substr('abcdef', -3, 2), instr('banana', 'nan'), replace('aaa', 'a', 'bb'),
       trim('  x  '), unicode('€'), char(72, 105), zeroblob(3), typeof(1.0);
SELECT 7 / 2, 7 % 3, 7 / 2.0, -7 / 2, 1 << 62, 9223372036854775807 + 0,
       cast('12abc' AS INTEGER), cast(3.99 AS INTEGER), 0.1 + 0.2;
SELECT date('2024-02-28', '+1 day'), strftime('%j %w %Y', '2023-12-31'),
       julianday('2000-01-01'), datetime(0, 'unixepoch');

CREATE VIRTUAL TABLE docs USING fts5(title, body);
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 500)
INSERT INTO docs SELECT 'doc ' || i,
  CASE i % 4 WHEN 0 THEN 'the linker binds symbols lazily'
             WHEN 1 THEN 'a loader maps segments and applies rebases'
             WHEN 2 THEN 'symbols are exported through a trie'
             ELSE 'chained fixups replace opcode streams' END || ' ' || i
FROM seq;
SELECT count(*) FROM docs WHERE docs MATCH 'symbols';
SELECT title, snippet(docs, 1, '[', ']', '...', 4) FROM docs
WHERE docs MATCH 'chained AND fixups' ORDER BY rank, title LIMIT 3;

CREATE VIEW rich AS SELECT name, salary FROM emp WHERE salary > 99990;
SELECT * FROM rich ORDER BY salary DESC, name LIMIT 5;

BEGIN;
DELETE FROM emp WHERE dept = 1;
SELECT count(*) AS during FROM emp;
ROLLBACK;
SELECT count(*) AS after FROM emp;

UPDATE emp SET salary = salary * 1.1 WHERE dept = 2;
DELETE FROM emp WHERE id % 3 = 0;
SELECT count(*), round(sum(salary), 2) FROM emp;
VACUUM;
PRAGMA integrity_check;
PRAGMA page_count;
SELECT name FROM sqlite_schema ORDER BY name;

WITH RECURSIVE fib(n, a, b) AS (SELECT 1, 0, 1 UNION ALL SELECT n + 1, b, a + b FROM fib WHERE n < 90)
SELECT n, a FROM fib WHERE n IN (10, 50, 90);
WITH RECURSIVE
  xaxis(x) AS (VALUES(-2.0) UNION ALL SELECT x + 0.1 FROM xaxis WHERE x < 1.2),
  yaxis(y) AS (VALUES(-1.0) UNION ALL SELECT y + 0.2 FROM yaxis WHERE y < 1.0),
  m(iter, cx, cy, x, y) AS (
    SELECT 0, x, y, 0.0, 0.0 FROM xaxis, yaxis
    UNION ALL
    SELECT iter + 1, cx, cy, x * x - y * y + cx, 2.0 * x * y + cy FROM m
    WHERE (x * x + y * y) < 4.0 AND iter < 28),
  m2(iter, cx, cy) AS (SELECT max(iter), cx, cy FROM m GROUP BY cx, cy),
  a(t) AS (SELECT group_concat(substr(' .+*#', 1 + min(iter / 7, 4), 1), '')
           FROM m2 GROUP BY cy)
SELECT group_concat(rtrim(t), x'0a') FROM a;

.mode insert dept
SELECT * FROM dept ORDER BY id;
.mode list
.dump audit
SELECT nosuchcolumn FROM emp;
SELECT 'not reached with -bail';
