-- Which of the given lower-case words are part of some customer's name. The substring search picks
-- the few names that can hold one of the words (a superset), so only those are split into words.
-- At most 255 words per call (multiSearchAny's limit).
SELECT DISTINCT word
FROM customers
ARRAY JOIN splitByRegexp('\\s+', lowerUTF8(name)) AS word
WHERE name != '' AND multiSearchAnyCaseInsensitiveUTF8(name, {words:Array(String)}) AND word IN {words:Array(String)}
