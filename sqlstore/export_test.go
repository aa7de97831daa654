package sqlstore

// ExposurePairsQuery exposes the query of ExposurePairs to the plan tests.
var ExposurePairsQuery = exposurePairsQuery
