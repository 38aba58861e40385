// graph.stamps: this write's version under every label / relationship type it touched (keys
// "stamp:label:<Label>", "stamp:rel:<TYPE>", or "stamp:*" for a delete or clear), on the one meta
// node, in the write's own transaction after bump_graph_version. Keys come from the model's
// allow-lists; the map is a parameter.
MATCH (m:InnoGraphMeta {id: 'graph'})
SET m += $stamps
