package ravao

// EnterAll runs vs as the check-ins of Enter written together (enterAll)
// in tx, for tests comparing it with the same check-ins one by one.
func EnterAll(tx Tx, vs []Visit, complete Complete) (out []Visit, replayed, inside []bool, errs []error, err error) {
	es := make([]*entering, len(vs))
	for i, v := range vs {
		es[i] = &entering{fresh: v, complete: complete}
	}
	if err := enterAll(tx, es); err != nil {
		return nil, nil, nil, nil, err
	}
	for _, e := range es {
		out, replayed, inside, errs = append(out, e.v), append(replayed, e.replayed), append(inside, e.inside), append(errs, e.err)
	}
	return out, replayed, inside, errs, nil
}
