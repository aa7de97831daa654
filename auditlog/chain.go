package auditlog

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"time"

	"github.com/ravao/ravao"
)

// SealBatch is how many events one Seal places in the chain at most, in
// one write transaction.
const SealBatch = 1000

// verifyPage is how many chained events Verify reads per transaction.
const verifyPage = 5000

// zeroHash is the previous hash of the first event in the chain.
var zeroHash = make([]byte, sha256.Size)

// Hash is an event's hash in the chain:
//
//	HMAC-SHA256(key, prev || enc(seq) || enc(id) || enc(at) || enc(user_id) ||
//	            enc(role) || enc(action) || enc(object_type) || enc(object_id) ||
//	            enc(reason) || enc(request_id))
//
// where prev is the previous event's hash (32 zero bytes for seq 1), and
// enc of a field is its length as 4 bytes big-endian followed by its
// bytes: an integer (seq, id, user_id, and at as unix milliseconds) as 8
// bytes big-endian two's complement, a text as its UTF-8 bytes. The length
// prefixes make the encoding unambiguous: no two different events encode
// alike, whatever their texts hold.
func Hash(key, prev []byte, seq int64, e ravao.AuditEvent) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(prev)
	var b []byte
	for _, n := range []int64{seq, e.ID, e.At.UnixMilli(), e.UserID} {
		b = binary.BigEndian.AppendUint32(b, 8)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	for _, s := range []string{string(e.Role), e.Action, e.ObjectType, e.ObjectID, e.Reason, e.RequestID} {
		b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
		b = append(b, s...)
	}
	m.Write(b)
	return m.Sum(nil)
}

// Seal places up to SealBatch unsealed events in the chain, in ID order,
// after the current head, in one write transaction, and returns how many.
// Two sealers running at once cannot fork the chain: the unique index on
// seq fails the later transaction, which then seals nothing (Conflict) and
// can try again.
func (s *Service) Seal(ctx context.Context) (int, error) {
	key := s.vault.AuditKey()
	n := 0
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		n = 0
		events, err := tx.UnsealedAudit(SealBatch)
		if err != nil || len(events) == 0 {
			return err
		}
		seq, prev, err := tx.AuditHead()
		if err != nil {
			return err
		}
		if seq == 0 {
			prev = zeroHash
		}
		seals := make([]ravao.AuditSeal, len(events))
		for i, e := range events {
			seq++
			h := Hash(key, prev, seq, e)
			seals[i] = ravao.AuditSeal{ID: e.ID, Seq: seq, PrevHash: prev, Hash: h}
			prev = h
		}
		n = len(seals)
		return tx.SealAudit(seals)
	})
	return n, err
}

// SealAll seals until no event is left unsealed (or ctx ends) and
// returns how many it sealed.
func (s *Service) SealAll(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := s.Seal(ctx)
		total += n
		if err != nil || n < SealBatch {
			return total, err
		}
	}
}

// The reasons an entry breaks the chain.
const (
	// BrokenGap: the entry's seq is not the one after the previous entry's:
	// an entry before it was deleted (or its seq changed).
	BrokenGap = "gap"
	// BrokenLink: the entry's prev_hash is not the previous entry's hash:
	// the previous entry was deleted or replaced, or this link was changed.
	BrokenLink = "link"
	// BrokenHash: the entry's hash does not match its fields: the entry
	// was changed.
	BrokenHash = "hash"
)

// BrokenEntry is the first entry at which the chain breaks.
type BrokenEntry struct {
	Seq, ID int64
	Reason  string // BrokenGap, BrokenLink or BrokenHash
}

// Describe says in English what the break means, for the command line.
func (b BrokenEntry) Describe() string {
	switch b.Reason {
	case BrokenGap:
		return "seq is not the next one — an entry before it was deleted"
	case BrokenLink:
		return "prev_hash is not the previous entry's hash — the entry before it was deleted or replaced"
	}
	return "hash does not match — the entry was changed"
}

// Verification is the result of checking the chain.
type Verification struct {
	Checked  int          // chained entries found intact, from seq 1
	Unsealed int          // events not yet sealed
	HeadSeq  int64        // the last intact entry's seq (0 when none)
	HeadHash []byte       // its hash: write it down to detect a cut tail later
	Broken   *BrokenEntry // the first broken entry; nil when the chain is intact
	At       time.Time    // when the check ended
}

// OK reports whether the chain is intact.
func (v Verification) OK() bool { return v.Broken == nil }

// Verify walks the chain by seq, a page at a time, recomputes every hash
// and stops at the first entry whose seq is not the next one, whose
// prev_hash is not the previous entry's hash, or whose hash does not
// match its fields. A chain with its last entries deleted still verifies:
// compare HeadSeq and HeadHash with a head written down earlier.
func (s *Service) Verify(ctx context.Context) (Verification, error) {
	key := s.vault.AuditKey()
	var v Verification
	prev := zeroHash
	for {
		var page []ravao.AuditEvent
		err := s.store.View(ctx, func(tx ravao.Tx) error {
			var err error
			page, err = tx.AuditChain(v.HeadSeq, verifyPage)
			return err
		})
		if err != nil {
			return v, err
		}
		for _, e := range page {
			if b := check(key, prev, v.HeadSeq, e); b != nil {
				v.Broken = b
				return s.finish(ctx, v)
			}
			v.Checked++
			v.HeadSeq, v.HeadHash, prev = e.Seq, e.Hash, e.Hash
		}
		if len(page) < verifyPage {
			return s.finish(ctx, v)
		}
	}
}

// check returns why e does not follow an entry of seq with hash prev, or
// nil when it does.
func check(key, prev []byte, seq int64, e ravao.AuditEvent) *BrokenEntry {
	b := &BrokenEntry{Seq: e.Seq, ID: e.ID}
	switch {
	case e.Seq != seq+1:
		b.Reason = BrokenGap
	case !hmac.Equal(e.PrevHash, prev):
		b.Reason = BrokenLink
	case !hmac.Equal(e.Hash, Hash(key, prev, e.Seq, e)):
		b.Reason = BrokenHash
	default:
		return nil
	}
	return b
}

// finish counts the unsealed events, stamps the result and keeps it as
// the last one.
func (s *Service) finish(ctx context.Context, v Verification) (Verification, error) {
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		var err error
		v.Unsealed, err = tx.CountUnsealedAudit()
		return err
	})
	if err != nil {
		return v, err
	}
	v.At = s.cfg.Clock.Now()
	s.mu.Lock()
	s.last = &v
	s.mu.Unlock()
	return v, nil
}

// LastVerification is the result of the last Verify run by this process,
// or nil.
func (s *Service) LastVerification() *Verification {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.last == nil {
		return nil
	}
	v := *s.last
	return &v
}
