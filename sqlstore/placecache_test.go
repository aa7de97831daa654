package sqlstore

import (
	"testing"
	"time"

	"github.com/ravao/ravao"
)

// TestPlaceCache checks what the conformance suite cannot reach through a
// store: a read that raced a change does not put back what the change
// replaced, an answer older than PlaceTTL is read again, and the cache
// stays within its bound.
func TestPlaceCache(t *testing.T) {
	var pc placeCache
	place := func(name string, at time.Time) cachedPlace {
		return cachedPlace{v: ravao.Venue{Name: name, Contact: []byte{1}}, at: at}
	}
	_, ok, gen := pc.get(1)
	if ok {
		t.Fatal("get on an empty cache: found a place")
	}
	pc.invalidate() // a change committed while the read was on its way
	pc.put(1, place("before the change", time.Now()), gen)
	if _, ok, _ := pc.get(1); ok {
		t.Error("a read begun before an invalidation was kept")
	}
	_, _, gen = pc.get(1)
	pc.put(1, place("after the change", time.Now()), gen)
	if p, ok, _ := pc.get(1); !ok || p.v.Name != "after the change" {
		t.Errorf("get after put: got %+v, %v", p, ok)
	}
	pc.put(2, place("stale", time.Now().Add(-PlaceTTL)), gen)
	if _, ok, _ := pc.get(2); ok {
		t.Errorf("a place read %v ago was answered from memory", PlaceTTL)
	}
	for id := range int64(maxCachedPlaces + 50) {
		pc.put(id+10, place("many", time.Now()), gen)
	}
	if n := len(pc.m); n > maxCachedPlaces {
		t.Errorf("%d places kept, want at most %d", n, maxCachedPlaces)
	}
}
