package tracing_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/sms"
	"github.com/ravao/ravao/tracing"
)

// expoContacts is a case at the workshop with four contacts: a close one
// with a phone (the only one to be sent a message), a close one without,
// a possible one and a close one of the second degree.
type expoContacts struct {
	c                            ravao.Case
	close, noPhone, possible, f2 ravao.Contact
	closePhone                   string
}

func (e *expoEnv) contacts() expoContacts {
	e.t.Helper()
	x := expoContacts{closePhone: "0987000002"}
	f0 := e.person("Nguyễn Văn Ca", "0912000001")
	e.visit(f0, e.gate, ict(9, 8, 0), ict(9, 10, 0), ravao.OutTap)
	x.c = e.openCase(f0, ict(8, 0, 0))
	closeID := e.person("Trần Thị Gần", x.closePhone)
	first := e.visit(closeID, e.gate, ict(9, 8, 15), ict(9, 9, 30), ravao.OutTap)
	x.close = ravao.Contact{PersonID: closeID, Degree: 1, Class: ravao.ContactClose, Overlap: 75 * time.Minute, Visits: 1, FirstAt: first.InAt}
	x.noPhone = ravao.Contact{PersonID: e.person("Lê Văn Không", ""), Degree: 1, Class: ravao.ContactClose, Overlap: time.Hour, Visits: 1, FirstAt: ict(9, 8, 30)}
	x.possible = ravao.Contact{PersonID: e.person("Phạm Thị Thoáng", "0987000003"), Degree: 1, Class: ravao.ContactPossible, Overlap: 5 * time.Minute, Visits: 1, FirstAt: ict(9, 9, 55)}
	x.f2 = ravao.Contact{PersonID: e.person("Hoàng Văn Xa", "0987000004"), Degree: 2, Class: ravao.ContactClose, Overlap: time.Hour, Visits: 1, FirstAt: ict(9, 12, 0)}
	e.update(func(tx ravao.Tx) error {
		cs := []*ravao.Contact{&x.close, &x.noPhone, &x.possible}
		if _, err := tx.PutContacts(x.c.ID, cs); err != nil {
			return err
		}
		x.f2.ViaContactID = x.close.ID
		_, err := tx.PutContacts(x.c.ID, []*ravao.Contact{&x.f2})
		return err
	})
	return x
}

// notifications lists the case's messages.
func (e *expoEnv) notifications(caseID int64) []ravao.Notification {
	e.t.Helper()
	ns, err := e.svc.Notifications(e.ctx, e.official, caseID)
	if err != nil {
		e.t.Fatal(err)
	}
	return ns
}

func TestNotifyQueuesCloseContactsWithPhones(t *testing.T) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) {
		e := newExpoEnv(t, open)
		x := e.contacts()
		if _, err := e.svc.Notify(e.ctx, e.far, x.c.ID); !ravao.IsNotFound(err) {
			t.Errorf("notify by another province: got %v, want not found", err)
		}
		n, err := e.svc.Notify(e.ctx, e.official, x.c.ID)
		if err != nil || n != 1 {
			t.Fatalf("notify: got %d, %v, want 1 queued", n, err)
		}
		ns := e.notifications(x.c.ID)
		if len(ns) != 1 || ns[0].ContactID != x.close.ID || ns[0].PersonID != x.close.PersonID || ns[0].Status != ravao.NotifyQueued || ns[0].Attempts != 0 {
			t.Fatalf("queued: got %+v, want one message to the close contact with a phone", ns)
		}
		if n, err := e.svc.Notify(e.ctx, e.official, x.c.ID); err != nil || n != 0 {
			t.Errorf("notify again: got %d, %v, want nothing more queued", n, err)
		}
		if a := e.audits("contacts.notify"); len(a) != 2 || a[0].Reason != x.c.Reason || strings.Contains(a[0].Reason, x.closePhone) {
			t.Errorf("audit: got %+v, want two events with the case's reason", a)
		}

		e.update(func(tx ravao.Tx) error {
			x.c.Status, x.c.ClosedAt = ravao.CaseClosed, tx.Now()
			return tx.UpdateCase(&x.c)
		})
		_, err = e.svc.Notify(e.ctx, e.official, x.c.ID)
		svctest.WantKey(t, "notify a closed case", err, "err.case_closed")
	})
}

func TestSendDueSendsThroughTheOutbox(t *testing.T) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) {
		e := newExpoEnv(t, open)
		x := e.contacts()
		if _, err := e.svc.Notify(e.ctx, e.official, x.c.ID); err != nil {
			t.Fatal(err)
		}
		n, err := e.svc.SendDue(e.ctx)
		if err != nil || n != 1 {
			t.Fatalf("send: got %d, %v, want 1 sent", n, err)
		}
		msgs := e.outbox.Messages()
		if len(msgs) != 1 {
			t.Fatalf("outbox: got %d messages, want 1", len(msgs))
		}
		m := msgs[0]
		if m.To.Reveal() != x.closePhone || m.Purpose != "exposure" || !strings.Contains(m.Text, "Xưởng may số 1") || !strings.Contains(m.Text, "09/07/2026") {
			t.Errorf("message: got %+v, want the contact's phone, the workshop and the day", m)
		}
		if strings.Contains(m.Text, "Nguyễn Văn Ca") || strings.Contains(m.Text, "0912000001") {
			t.Errorf("message %q names the case", m.Text)
		}
		ns := e.notifications(x.c.ID)
		if len(ns) != 1 || ns[0].Status != ravao.NotifySent || ns[0].Attempts != 1 || !ns[0].SentAt.Equal(expoNow) || ns[0].LastError != "" {
			t.Errorf("after sending: got %+v, want sent at %v", ns, expoNow)
		}
		if n, err := e.svc.SendDue(e.ctx); err != nil || n != 0 || len(e.outbox.Messages()) != 1 {
			t.Errorf("send again: got %d, %v, want nothing sent twice", n, err)
		}
	})
}

// failingSender refuses every message, as a gateway that is down.
type failingSender struct {
	mu    sync.Mutex
	tries int
}

func (f *failingSender) Send(ctx context.Context, m sms.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tries++
	return ravao.Errorf(ravao.Unavailable, "err.sms_unavailable")
}

func TestSendDueRetriesThenGivesUp(t *testing.T) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) {
		e := newExpoEnv(t, open)
		x := e.contacts()
		down := &failingSender{}
		svc, err := tracing.New(e.st, e.v, down, tracing.Config{TZ: svctest.ICT, Clock: e.clock})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Notify(e.ctx, e.official, x.c.ID); err != nil {
			t.Fatal(err)
		}
		for i, wait := range append([]time.Duration{0}, tracing.Retry[:]...) {
			e.clock.Advance(wait - time.Second)
			if n, err := svc.SendDue(e.ctx); err != nil || n != 0 || down.tries != i {
				t.Fatalf("attempt %d, a second early: got %d sent, %v, %d tries; want no new try", i+1, n, err, down.tries)
			}
			e.clock.Advance(time.Second)
			if n, err := svc.SendDue(e.ctx); err != nil || n != 0 || down.tries != i+1 {
				t.Fatalf("attempt %d: got %d sent, %v, %d tries", i+1, n, err, down.tries)
			}
			ns := e.notifications(x.c.ID)
			want := ravao.NotifyQueued
			if i+1 == tracing.MaxAttempts {
				want = ravao.NotifyFailed
			}
			if len(ns) != 1 || ns[0].Status != want || ns[0].Attempts != i+1 || ns[0].LastError != "err.sms_unavailable" {
				t.Fatalf("after attempt %d: got %+v, want %s", i+1, ns, want)
			}
		}
		e.clock.Advance(24 * time.Hour)
		if n, err := svc.SendDue(e.ctx); err != nil || n != 0 || down.tries != tracing.MaxAttempts {
			t.Errorf("after giving up: got %d sent, %v, %d tries, want no more", n, err, down.tries)
		}
	})
}
