package places_test

import (
	"strings"
	"testing"

	"github.com/ravao/ravao"
)

func TestApproveSuspendReinstate(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		r := e.register(t, e.svc, registration("quanly", phone))
		id := r.Venue.ID
		unchanged := func(step string, want ravao.VenueStatus, audits int) {
			t.Helper()
			if got := e.stored(t, id).Status; got != want {
				t.Errorf("%s: status %s, want %s", step, got, want)
			}
			if n := len(e.audit(t, "venue.approve")) + len(e.audit(t, "venue.suspend")) + len(e.audit(t, "venue.reinstate")); n != audits {
				t.Errorf("%s: %d status changes audited, want %d", step, n, audits)
			}
		}

		_, err := e.svc.Approve(e.ctx, e.local37, id)
		e.wantErr(t, err, ravao.NotFound, "err.venue_not_found")
		_, err = e.svc.Approve(e.ctx, e.health, id)
		e.wantErr(t, err, ravao.Forbidden, "err.forbidden")
		_, err = e.svc.Approve(e.ctx, r.Principal, id)
		e.wantErr(t, err, ravao.Forbidden, "err.forbidden")
		_, err = e.svc.Approve(e.ctx, e.local, id+1000)
		e.wantErr(t, err, ravao.NotFound, "err.venue_not_found")
		unchanged("approvals refused", ravao.VenuePending, 0)

		v, err := e.svc.Approve(e.ctx, e.local, id)
		if err != nil || v.Status != ravao.VenueApproved {
			t.Fatalf("approve by the commune: %s, %v", v.Status, err)
		}
		e.wantAudit(t, "venue.approve", id, e.local, "")
		_, err = e.svc.Approve(e.ctx, e.local, id)
		e.wantErr(t, err, ravao.Conflict, "err.venue_status_approve")
		_, err = e.svc.Reinstate(e.ctx, e.local, id, "Đã khắc phục")
		e.wantErr(t, err, ravao.Conflict, "err.venue_status_reinstate")

		for _, reason := range []string{"", " \n\t "} {
			_, err = e.svc.Suspend(e.ctx, e.local, id, reason)
			e.wantField(t, err, "reason", "err.reason_required")
		}
		_, err = e.svc.Suspend(e.ctx, e.local, id, strings.Repeat("lý do ", 100))
		e.wantField(t, err, "reason", "err.too_long")
		_, err = e.svc.Suspend(e.ctx, e.local37, id, "Không quét mã")
		e.wantErr(t, err, ravao.NotFound, "err.venue_not_found")
		unchanged("suspensions refused", ravao.VenueApproved, 1)

		reason := "Không yêu cầu khách quét mã QR"
		v, err = e.svc.Suspend(e.ctx, e.local, id, "  Không yêu cầu khách\nquét mã QR ")
		if err != nil || v.Status != ravao.VenueSuspended || v.StatusReason != reason {
			t.Fatalf("suspend: %s %q, %v", v.Status, v.StatusReason, err)
		}
		e.wantAudit(t, "venue.suspend", id, e.local, reason)
		if got := e.stored(t, id); got.Status != ravao.VenueSuspended || got.StatusReason != reason {
			t.Errorf("stored after suspension: %s %q", got.Status, got.StatusReason)
		}
		_, err = e.svc.Suspend(e.ctx, e.local, id, reason)
		e.wantErr(t, err, ravao.Conflict, "err.venue_status_suspend")
		_, err = e.svc.Approve(e.ctx, e.local, id)
		e.wantErr(t, err, ravao.Conflict, "err.venue_status_approve")
		_, err = e.svc.Reinstate(e.ctx, e.local, id, "")
		e.wantField(t, err, "reason", "err.reason_required")

		v, err = e.svc.Reinstate(e.ctx, e.admin, id, "Đã kiểm tra lại")
		if err != nil || v.Status != ravao.VenueApproved || v.StatusReason != "Đã kiểm tra lại" {
			t.Fatalf("reinstate: %s %q, %v", v.Status, v.StatusReason, err)
		}
		e.wantAudit(t, "venue.reinstate", id, e.admin, "Đã kiểm tra lại")
		unchanged("after reinstatement", ravao.VenueApproved, 3)
	})
}

// wantAudit checks the newest event of action: on venue id, by actor,
// with reason, in the request.
func (e *env) wantAudit(t *testing.T, action string, id int64, actor *ravao.Principal, reason string) {
	t.Helper()
	evs := e.audit(t, action)
	if len(evs) == 0 {
		t.Fatalf("no %s audited", action)
	}
	ev := evs[0]
	if ev.ObjectType != "venue" || ev.ObjectID != itoa(id) || ev.UserID != actor.User.ID ||
		ev.Role != actor.Roles[0].Role || ev.Reason != reason || ev.RequestID != "req-places" {
		t.Errorf("%s audited as %+v; want venue %d by user %d (%s), reason %q", action, ev, id, actor.User.ID, actor.Roles[0].Role, reason)
	}
}
