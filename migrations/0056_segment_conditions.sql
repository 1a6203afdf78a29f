-- Segments take several conditions over contact attributes (all/any; equals, in, contains,
-- before/after, is empty): a saved single-attribute segment {"attribute", "value"} becomes
-- {"match": "all", "conditions": [{"attribute", "op": "equals", "value"}]}.
UPDATE contact_lists
SET filter = json_remove(
        json_set(filter, '$.match', 'all',
                 '$.conditions', json_array(json_object(
                     'attribute', json_extract(filter, '$.attribute'),
                     'op', 'equals',
                     'value', COALESCE(json_extract(filter, '$.value'), '')))),
        '$.attribute', '$.value')
WHERE kind = 'segment' AND json_extract(filter, '$.attribute') IS NOT NULL;
