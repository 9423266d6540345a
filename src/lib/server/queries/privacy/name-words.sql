-- Which of the given lower-case words are part of some customer's name.
SELECT DISTINCT word
FROM customers
ARRAY JOIN splitByRegexp('\\s+', lowerUTF8(name)) AS word
WHERE name != '' AND word IN {words:Array(String)}
