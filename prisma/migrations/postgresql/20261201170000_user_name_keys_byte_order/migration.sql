-- Name keys sort in byte order, whatever the database's locale, as "term" already does. The
-- console sorts some lists in SQL and some in JavaScript (code-unit order, which byte order
-- matches for every name a person types); under a linguistic default collation ("en_US.UTF-8")
-- "émile" sorted before "ezra" in one and after it in the other. SQLite's BINARY is byte order too.
-- Rebuilds the indexes that hold these columns: on a large database, run it in a quiet hour.
ALTER TABLE "User" ALTER COLUMN "nameKey" TYPE TEXT COLLATE "C";
ALTER TABLE "UserSearchTerm" ALTER COLUMN "nameKey" TYPE TEXT COLLATE "C";
