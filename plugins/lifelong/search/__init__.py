"""The catalogue's own search: terms made by lunr's pipeline plus our CJK and pinyin steps,
an index split into shards loaded on demand with classic <script> tags (works on file://)."""
