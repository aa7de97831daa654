package ravao

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"time"
	"unicode/utf8"
)

// Decision is the colour a check-in gets at the gate.
type Decision string

// The decisions.
const (
	Green  Decision = "green"  // go in
	Yellow Decision = "yellow" // no valid declaration: declare on the spot
	Red    Decision = "red"    // send to the health desk
)

// Decide gives the decision for a person from their latest declaration and
// whether they are isolated as a case or contact.
func Decide(latest *Declaration, isolated bool, now time.Time, validity time.Duration) Decision {
	switch {
	case isolated:
		return Red
	case latest == nil || !latest.ValidFor(now, validity):
		return Yellow
	case latest.Risk:
		return Red
	}
	return Green
}

// PersonDecision is Decide for a stored person: their latest declaration,
// and whether tracing isolates them (an open case, or a contact isolating
// or tested positive).
func PersonDecision(tx Tx, personID int64, now time.Time, validity time.Duration) (Decision, error) {
	tr, err := tx.PersonTracing(personID)
	if err != nil {
		return "", err
	}
	latest, err := tx.LatestDeclaration(personID)
	if IsNotFound(err) {
		return Decide(nil, tr.Isolated, now, validity), nil
	}
	if err != nil {
		return "", err
	}
	return Decide(&latest, tr.Isolated, now, validity), nil
}

// VisitSource says how a check-in reached Ravao.
type VisitSource string

// The visit sources.
const (
	SourceSelf VisitSource = "self" // the visitor scanned the poster
	SourceGate VisitSource = "gate" // staff scanned the visitor
	SourceSync VisitSource = "sync" // a gate's offline queue, synced later
	SourceAPI  VisitSource = "api"
)

// Visit is one stay of one person at one venue, entered through a
// checkpoint. OutAt is zero while the person is inside.
type Visit struct {
	ID             int64
	PersonID       int64
	VenueID        int64
	CheckpointID   int64
	InAt           time.Time
	OutAt          time.Time
	OutReason      string // "tap", "auto", "gate"
	Decision       Decision
	Source         VisitSource
	IdempotencyKey string // unique when set; a retry with the same key finds the first visit
	// RequestHash is a hash of the request that created the visit under
	// IdempotencyKey, so that the same key with another body is refused.
	RequestHash []byte
	// DueAt is when the visit is checked out automatically if nobody does:
	// the earliest of the venue's default stay, its closing time and 24
	// hours. Zero for visits that are never closed automatically.
	DueAt     time.Time
	CreatedAt time.Time
}

// VenueCounts is what a gate shows of its venue today.
type VenueCounts struct {
	In     int `json:"in"`     // entries today
	Out    int `json:"out"`    // exits today
	Inside int `json:"inside"` // visits open now
}

// The ways a visit ends (Visit.OutReason).
const (
	OutTap  = "tap"  // the visitor tapped check-out
	OutAuto = "auto" // closed automatically at DueAt
	OutGate = "gate" // scanned out at a gate
	OutMove = "move" // superseded: the person entered another venue
)

// Validate checks a visit before it is stored.
func (v Visit) Validate() error {
	fe := FieldErrors{}
	if v.PersonID <= 0 {
		fe.Add("person", "err.required")
	}
	if v.VenueID <= 0 || v.CheckpointID <= 0 {
		fe.Add("checkpoint", "err.required")
	}
	if v.InAt.IsZero() {
		fe.Add("in_at", "err.required")
	}
	if !v.OutAt.IsZero() && v.OutAt.Before(v.InAt) {
		fe.Add("out_at", "err.out_before_in")
	}
	switch v.Decision {
	case Green, Yellow, Red:
	default:
		fe.Add("decision", "err.decision")
	}
	switch v.Source {
	case SourceSelf, SourceGate, SourceSync, SourceAPI:
	default:
		fe.Add("source", "err.source")
	}
	if len(v.IdempotencyKey) > 128 || !utf8.ValidString(v.IdempotencyKey) {
		fe.Add("idempotency_key", "err.idempotency_key")
	}
	return fe.Err()
}

// VisitWriter is the one path by which check-ins reach the store. Callers
// (visitor pages, gates, the API, offline sync) hand it a visit and get an
// answer only once the visit is durable.
//
// Concurrent calls are group-committed: while one batch commits, the calls
// that arrive queue up, and the next batch takes them all (up to MaxBatch)
// into one transaction (Store.UpdateEach), each in its own savepoint, with
// one durable commit for the lot. A lone call starts its batch at once: no
// timer, no added latency under light load. A check-in's own error fails
// only that check-in; a failed transaction fails every check-in of its
// batch, none of which is stored. The zero value (with Store set) is ready
// to use; share one VisitWriter per store, since each has its own queue.
type VisitWriter struct {
	Store Store
	// MaxBatch bounds how many check-ins one transaction carries: 0 is
	// DefaultMaxBatch; 1 turns group commit off, each check-in then
	// commits on its own through Store.Update.
	MaxBatch int

	mu      sync.Mutex
	queue   []*pendingVisit
	leading bool // a leader (a caller or a goroutine) is committing batches
}

// DefaultMaxBatch is how many check-ins one group commit carries at most
// when VisitWriter.MaxBatch is 0: 64, because each check-in of a batch is
// a savepoint, and a PostgreSQL transaction with more than 64 of them
// overflows its backend's subtransaction cache, which slows every other
// session's snapshots while it is open. Batches run back to back, so a
// longer queue waits one more commit, not longer.
const DefaultMaxBatch = 64

// pendingVisit is one queued check-in: the work it runs in the batch
// transaction, and where its result goes.
type pendingVisit struct {
	ctx   context.Context
	fn    func(Tx) error
	enter *entering  // a check-in of Enter, which fn runs on its own
	done  chan error // buffered: the leader never waits for a waiter
}

// Record validates v and stores it durably, setting v.ID. When v carries an
// idempotency key already stored, v is replaced by the stored visit and
// Record reports existed=true; when the stored visit was made by another
// request (RequestHash differs), it is refused with Mismatch. The same key
// twice in one batch behaves as two calls in a row: the first stores the
// visit, the second gets it with existed=true.
func (w *VisitWriter) Record(ctx context.Context, v *Visit) (existed bool, err error) {
	return w.RecordWith(ctx, v, nil)
}

// Prepare runs inside the check-in's transaction before the insert, after
// the idempotency check: it may change v (its due time, its decision), do
// related writes (a declaration, closing the person's visit elsewhere), or
// replace v by a visit already open and return done to skip the insert.
// Under group commit it runs in the leader's goroutine, possibly more than
// once, and must only touch v, the Tx and its caller's own variables.
type Prepare func(tx Tx, v *Visit) (done bool, err error)

// RecordWith is Record with a Prepare step in the same transaction, so a
// check-in and what it implies commit together or not at all.
//
// When ctx ends before the batch carrying the check-in has committed,
// RecordWith returns ctx's error at once, but the check-in may still be
// committed: the caller must treat it as unknown, not as refused. Retrying
// with the same idempotency key is safe and finds the stored visit. A
// call whose ctx ended before its batch began is left out of it, and a
// call that found no batch in flight commits its own and waits for it
// whatever ctx does. v is only changed when RecordWith returns nil.
func (w *VisitWriter) RecordWith(ctx context.Context, v *Visit, prepare Prepare) (existed bool, err error) {
	if err := v.Validate(); err != nil {
		return false, err
	}
	fresh, out, found := *v, Visit{}, false
	err = w.commit(ctx, func(tx Tx) error {
		out = fresh // the store may run this more than once
		var err error
		found, err = recordVisit(tx, &out, prepare)
		return err
	}, nil)
	if err != nil {
		return false, err
	}
	*v = out
	return found, nil
}

// Write runs fn durably in the next group commit, in its own savepoint
// beside the batch's check-ins: for the other writes of the check-in path
// (a gate's exit) that should not each wait for a commit of their own.
// It answers as RecordWith does: fn's error, the batch's, or ctx's when
// ctx ends first (fn's writes then may or may not be committed). fn may
// run more than once, as Store.Update's may.
func (w *VisitWriter) Write(ctx context.Context, fn func(Tx) error) error {
	return w.commit(ctx, fn, nil)
}

// priorVisit replaces v by the visit stored under its idempotency key
// and reports existed, refusing with Mismatch a key another request used.
func priorVisit(tx Tx, v *Visit) (existed bool, err error) {
	prior, err := tx.VisitByIdempotencyKey(v.IdempotencyKey)
	switch {
	case IsNotFound(err):
		return false, nil
	case err != nil:
		return false, err
	case len(v.RequestHash) > 0 && !bytes.Equal(prior.RequestHash, v.RequestHash):
		return false, Errorf(Mismatch, "err.idempotency_mismatch")
	}
	*v = prior
	return true, nil
}

// recordVisit is the work of one check-in inside its transaction.
func recordVisit(tx Tx, v *Visit, prepare Prepare) (existed bool, err error) {
	if v.IdempotencyKey != "" {
		if existed, err := priorVisit(tx, v); existed || err != nil {
			return existed, err
		}
	}
	if prepare != nil {
		done, err := prepare(tx, v)
		if err != nil || done {
			return done, err
		}
		if err := v.Validate(); err != nil {
			return false, err
		}
	}
	return false, tx.InsertVisits([]*Visit{v})
}

// commit runs fn durably: on its own when batching is off, otherwise
// queued for the next group commit. It returns fn's result, the batch's
// failure, or ctx's error when ctx ends first. A call that finds no batch
// in flight commits its batch itself, to the end even if ctx ends. e,
// when not nil, is the check-in of Enter that fn runs: the batch may run
// it with the others of its kind instead (enterAll).
func (w *VisitWriter) commit(ctx context.Context, fn func(Tx) error, e *entering) error {
	if w.MaxBatch == 1 {
		return w.Store.Update(ctx, fn)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	p := &pendingVisit{ctx: ctx, fn: fn, enter: e, done: make(chan error, 1)}
	w.mu.Lock()
	w.queue = append(w.queue, p)
	lead := !w.leading
	w.leading = true
	w.mu.Unlock()
	if lead {
		// No batch in flight: this call commits its own batch at once,
		// in its own goroutine, then hands the queue to a leader.
		w.run(w.next())
		w.handOff()
	}
	select {
	case err := <-p.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// handOff starts a leader for the calls that queued during the caller's
// own batch, or steps down when there are none.
func (w *VisitWriter) handOff() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.queue) == 0 {
		w.queue, w.leading = nil, false
		return
	}
	go w.lead()
}

// lead commits batches from the queue until it is empty, then steps down.
// Only one leader runs at a time, so that the calls arriving during a
// commit form the next batch.
func (w *VisitWriter) lead() {
	for {
		batch := w.next()
		if batch == nil {
			return
		}
		w.run(batch)
	}
}

// next takes the next batch off the queue, or steps down and returns nil
// when there is none.
func (w *VisitWriter) next() []*pendingVisit {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.queue) == 0 {
		w.queue, w.leading = nil, false
		return nil
	}
	limit := w.MaxBatch
	if limit <= 0 {
		limit = DefaultMaxBatch
	}
	n := min(len(w.queue), limit)
	batch := w.queue[:n:n]
	w.queue = w.queue[n:]
	return batch
}

// batchTimeout bounds one group commit, retries included, since no
// caller's cancellation reaches it: a database that stops answering fails
// the batch instead of holding the queue forever.
const batchTimeout = time.Minute

// run commits one batch and answers each of its calls. Calls whose ctx has
// already ended are answered with ctx's error and left out, so they are
// surely not stored. The transaction runs without the callers'
// cancellation (bounded by batchTimeout): it serves them all, and one
// caller leaving must not fail the others.
func (w *VisitWriter) run(batch []*pendingVisit) {
	live := batch[:0:0]
	for _, p := range batch {
		if err := p.ctx.Err(); err != nil {
			p.done <- err
			continue
		}
		live = append(live, p)
	}
	if len(live) == 0 {
		return
	}
	var entries []*pendingVisit
	for _, p := range live {
		if p.enter != nil {
			entries = append(entries, p)
		}
	}
	together := len(entries) > 1
	ctx, cancel := context.WithTimeout(context.WithoutCancel(live[0].ctx), batchTimeout)
	defer cancel()
	var fns []func(Tx) error
	if together {
		es := make([]*entering, len(entries))
		for i, p := range entries {
			es[i] = p.enter
		}
		fns = append(fns, guard(func(tx Tx) error { return enterAll(tx, es) }))
	}
	var each []*pendingVisit // the calls run one by one, after enterAll's
	for _, p := range live {
		if !together || p.enter == nil {
			each = append(each, p)
			fns = append(fns, guard(p.fn))
		}
	}
	errs, err := w.Store.UpdateEach(ctx, fns)
	if err != nil || !together {
		w.answer(each, errs, err)
		if together {
			w.answer(entries, nil, err)
		}
		return
	}
	w.answer(each, errs[1:], nil)
	if errs[0] == nil {
		for _, p := range entries {
			p.done <- p.enter.err
		}
		return
	}
	// The statements of the lot failed and were rolled back: the same
	// check-ins one by one find which fails, in a second transaction.
	errs, err = w.Store.UpdateEach(ctx, funcs(entries))
	w.answer(entries, errs, err)
}

// funcs is the work of each call, guarded.
func funcs(ps []*pendingVisit) []func(Tx) error {
	fns := make([]func(Tx) error, len(ps))
	for i, p := range ps {
		fns[i] = guard(p.fn)
	}
	return fns
}

// answer gives each call its result from UpdateEach: its own error, or
// the transaction's.
func (w *VisitWriter) answer(ps []*pendingVisit, errs []error, err error) {
	for i, p := range ps {
		if err == nil {
			p.done <- errs[i]
		} else {
			p.done <- err
		}
	}
}

// guard turns a panic in fn into an Internal error for its check-in
// alone: fn runs in the leader goroutine, where a panic would take down
// the process and leave the batch's other callers waiting.
func guard(fn func(Tx) error) func(Tx) error {
	return func(tx Tx) (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = &Error{Code: Internal, Key: "err.internal", Err: fmt.Errorf("check-in panicked: %v", p)}
			}
		}()
		return fn(tx)
	}
}

// MaxStay bounds every visit: one not checked out within a day is closed.
const MaxStay = 24 * time.Hour

// openUntil bounds the entries Enter looks at from above: no visit begins
// a day after the later of at and now (gates refuse a scan more than
// minutes ahead), so the days made ahead are not read.
func openUntil(tx Tx, at time.Time) time.Time {
	return later(at, tx.Now()).Add(MaxStay)
}

// OpenFor is how far back Enter looks for a person's open visits: MaxStay,
// and as long again for an automatic check-out that has not run yet.
const OpenFor = 2 * MaxStay

// DueAt is when a visit to v that began at in is checked out if nobody
// does: after the venue's default stay, at its next closing time (in loc,
// the deployment's time zone), and never later than MaxStay after in.
func DueAt(in time.Time, v Venue, loc *time.Location) time.Time {
	due := in.Add(MaxStay)
	if v.DefaultStay > 0 && in.Add(v.DefaultStay).Before(due) {
		due = in.Add(v.DefaultStay)
	}
	if v.ClosesAt > 0 {
		local := in.In(loc)
		closing := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc).Add(v.ClosesAt)
		if !closing.After(local) {
			closing = time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, loc).Add(v.ClosesAt)
		}
		if closing.Before(due) {
			due = closing
		}
	}
	return due.UTC()
}

// Enter is a person entering a venue at at. When they are already inside
// (a visit without check-out there), it returns that visit and inside;
// otherwise it closes their open visits at other venues (OutMove: nobody
// is in two places at once). One read of the person's open visits serves
// both. Visits that began more than OpenFor before at are past their due
// time whatever happened: the automatic check-out closes them at it, and
// they are not looked at (on PostgreSQL, their day partitions are not
// read).
func Enter(tx Tx, personID, venueID int64, at time.Time) (open Visit, inside bool, err error) {
	visits, err := tx.OpenVisits(at.Add(-OpenFor), openUntil(tx, at), personID)
	if err != nil {
		return Visit{}, false, err
	}
	for _, o := range visits { // newest first
		if o.VenueID == venueID {
			return o, true, nil
		}
	}
	for _, o := range visits {
		if err := tx.CheckOutVisit(o.ID, at, OutMove); err != nil && ErrorCode(err) != Conflict {
			return Visit{}, false, err
		}
	}
	return Visit{}, false, nil
}
