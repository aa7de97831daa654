package sqlstore

import (
	"bytes"
	"sync"
	"time"

	"github.com/ravao/ravao"
)

// PlaceTTL is how long a read may answer CheckpointPlace from memory. A
// change made through this store is seen at once (the transaction that
// made it empties the cache as it ends); one made by another server on
// the same database is seen within PlaceTTL.
const PlaceTTL = 5 * time.Second

// maxCachedPlaces bounds the cache: past it, an arbitrary place leaves
// for each one that comes in.
const maxCachedPlaces = 10000

// placeCache keeps CheckpointPlace's answers for read-only transactions:
// every check-in reads what its poster leads to, and a busy poster is
// scanned many times a second (ravao bench: the read was an eighth of a
// check-in's CPU on SQLite and a round trip on PostgreSQL).
type placeCache struct {
	mu sync.Mutex
	// gen counts the invalidations; a read puts what it found only if no
	// invalidation came since it began, so that a read racing a change
	// cannot put back what the change replaced.
	gen uint64
	m   map[int64]cachedPlace
}

type cachedPlace struct {
	c  ravao.Checkpoint
	v  ravao.Venue
	o  ravao.Organisation
	at time.Time // when it was read, on this process's monotonic clock
}

// get returns the place of checkpoint id when it is cached and fresh, and
// the generation a read that misses must hand to put.
func (pc *placeCache) get(id int64) (cachedPlace, bool, uint64) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	p, ok := pc.m[id]
	if ok && time.Since(p.at) < PlaceTTL {
		p.v.Contact, p.v.ContactKey = bytes.Clone(p.v.Contact), bytes.Clone(p.v.ContactKey)
		return p, true, pc.gen
	}
	return cachedPlace{}, false, pc.gen
}

// put keeps a place read under generation gen, unless an invalidation
// came since.
func (pc *placeCache) put(id int64, p cachedPlace, gen uint64) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if gen != pc.gen {
		return
	}
	if pc.m == nil {
		pc.m = map[int64]cachedPlace{}
	}
	if _, ok := pc.m[id]; !ok && len(pc.m) >= maxCachedPlaces {
		for k := range pc.m {
			delete(pc.m, k)
			break
		}
	}
	p.v.Contact, p.v.ContactKey = bytes.Clone(p.v.Contact), bytes.Clone(p.v.ContactKey)
	pc.m[id] = p
}

// invalidate forgets every place.
func (pc *placeCache) invalidate() {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pc.gen++
	clear(pc.m)
}
