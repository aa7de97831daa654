package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/tracing"
)

// The sample data of the officials' page of exposure windows.
func init() {
	samples["exposures.html"] = func() *pageData {
		return &pageData{Title: "exposures.title", Path: "/exposures", Data: &exposuresData{
			Rows: []windowRow{
				{ID: 3, Venue: "Xưởng may số 1", VenueID: 1, CaseID: 12, From: "08:00 18/07/2021", To: "10:30 18/07/2021", Severity: ravao.SeverityHigh},
				{ID: 2, Venue: "Xe buýt Phủ Lý", Checkpoint: "Xe 01", VenueID: 2, From: "07:00 17/07/2021", To: "08:00 17/07/2021",
					Severity: ravao.SeverityLow, Withdrawn: "09:00 18/07/2021"},
			},
			Form:       exposureForm{Venue: "1", From: "2021-07-18T08:00", To: "2021-07-18T07:00", Severity: "high", Reason: "Tỉnh bạn báo"},
			Severities: severityChoices(), Done: "exposures.done_published",
			Failure: formFailure{Status: 400, Message: "Một số thông tin chưa hợp lệ.", Fields: map[string]string{
				"to": "Thời điểm kết thúc phải sau thời điểm bắt đầu.", "venue": "Không tìm thấy địa điểm.",
			}, Other: []string{"Khác"}},
		}}
	}
}

// localInput is t as a date-time-local input in Vietnam.
func localInput(t time.Time) string {
	return t.In(time.FixedZone("ICT", 7*3600)).Format(dateTimeInput)
}

// windowForm is a valid form publishing a window at the seeded workshop
// over the last two hours.
func (f *pagesFixture) windowForm(changes url.Values) url.Values {
	now := time.Now()
	v := url.Values{
		"venue": {strconv.FormatInt(f.venue, 10)}, "code": {""}, "from": {localInput(now.Add(-2 * time.Hour))},
		"to": {localInput(now.Add(-time.Hour))}, "severity": {"high"}, "message_vi": {""}, "message_en": {""},
		"reason": {"Ca bệnh do Sở Y tế Hà Nội thông báo"},
	}
	for k, vals := range changes {
		v[k] = vals
	}
	return v
}

// windows lists every window stored.
func (f *pagesFixture) windows() []ravao.ExposureWindow {
	f.t.Helper()
	var ws []ravao.ExposureWindow
	err := f.store.View(context.Background(), func(tx ravao.Tx) error {
		var err error
		ws, err = tx.ExposureWindows(ravao.ExposureWindowFilter{IncludeWithdrawn: true})
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return ws
}

func TestExposurePagesPublishAndWithdraw(t *testing.T) {
	f := newPagesFixture(t)
	wantPage(t, "empty list", f.get("health", "/exposures"), 200, `id="windows-none"`, `action="/exposures"`, `name="reason"`)
	wantPage(t, "gate staff", f.get("gate", "/exposures"), 403)

	before := f.counts()
	for _, tt := range []struct {
		what    string
		changes url.Values
		want    []string
	}{
		{"no place", url.Values{"venue": {""}}, []string{`id="e-venue"`, "Nhập mã số địa điểm hoặc mã của một điểm kiểm soát."}},
		{"a place number that is not one", url.Values{"venue": {"12x"}}, []string{`id="e-venue"`, `value="12x"`}},
		{"an unknown code", url.Values{"code": {"KHONGCO"}}, []string{`id="e-code"`}},
		{"the end before the start", url.Values{"to": {localInput(time.Now().Add(-3 * time.Hour))}}, []string{`id="e-to"`}},
		{"a date that is not one", url.Values{"from": {"hôm qua"}}, []string{`id="e-from"`, `value="hôm qua"`}},
		{"no reason", url.Values{"reason": {""}}, []string{`id="e-reason"`, "Cần ghi rõ lý do."}},
		{"an unknown place", url.Values{"venue": {"987654"}}, []string{`id="e-venue"`, "Không tìm thấy địa điểm."}},
	} {
		body := wantPage(t, tt.what, f.post("health", "/exposures", f.windowForm(tt.changes)), 400, tt.want...)
		if !strings.Contains(body, "Ca bệnh do Sở Y tế Hà Nội thông báo") && tt.changes.Get("reason") != "" {
			t.Errorf("%s: the reason typed is not kept", tt.what)
		}
	}
	if after := f.counts(); after != before || len(f.windows()) != 0 {
		t.Errorf("bad forms changed something: %+v -> %+v, %d windows", before, after, len(f.windows()))
	}

	wantRedirect(t, "publish", f.post("health", "/exposures", f.windowForm(nil)), "/exposures?done=published")
	code := f.view(f.venue).Checkpoints[0].Code
	wantRedirect(t, "publish by code", f.post("health", "/exposures", f.windowForm(url.Values{"venue": {""}, "code": {code}, "severity": {"low"}})), "/exposures?done=published")
	ws := f.windows()
	if len(ws) != 2 || ws[0].VenueID != f.venue || ws[1].VenueID != f.venue || ws[0].CheckpointID+ws[1].CheckpointID != f.cp {
		t.Fatalf("windows: got %+v, want one at the workshop and one at its gate", ws)
	}
	body := wantPage(t, "list", f.get("health", "/exposures?done=published"), 200, "Đã công bố cảnh báo", "Xưởng may số 1 · Cổng chính",
		"Nhập tay", `action="/exposures/`+strconv.FormatInt(ws[0].ID, 10)+`/withdraw"`)
	if strings.Count(body, `/withdraw"`) != 2 {
		t.Errorf("list: want a withdraw button per current window")
	}
	wantPage(t, "list of another province", f.get(pgLocalFar, "/exposures"), 403)

	path := "/exposures/" + strconv.FormatInt(ws[0].ID, 10) + "/withdraw"
	wantRedirect(t, "withdraw", f.post("health", path, url.Values{}), "/exposures?done=withdrawn")
	wantRedirect(t, "withdraw again (a second click)", f.post("health", path, url.Values{}), "/exposures?done=withdrawn")
	body = wantPage(t, "after withdrawing", f.get("health", "/exposures"), 200, "Đã gỡ lúc")
	if strings.Count(body, `/withdraw"`) != 1 {
		t.Errorf("after withdrawing: want one withdraw button left")
	}
	wantPage(t, "withdraw an unknown window", f.post("health", "/exposures/987654/withdraw", url.Values{}), 404)
}

func TestCasePublishAndNotifyPages(t *testing.T) {
	f := newCaseFixture(t)
	c := f.openCase("health", tracing.OpenCase{PersonID: f.people["An"]})
	base := caseURL(c.ID)
	wantPage(t, "publish without a severity", f.post("health", base+"/publish", url.Values{"severity": {"urgent"}, "message_vi": {"Ở nhà"}}), 400, "Ở nhà")
	wantPage(t, "publish a visit that is not the case's", f.post("health", base+"/publish", url.Values{"severity": {"high"}, "visit": {"987654"}}), 400)
	wantPage(t, "publish by another province", f.post(health37, base+"/publish", url.Values{"severity": {"high"}}), 404)
	if ws := f.windows(); len(ws) != 0 {
		t.Errorf("refusals published %d windows", len(ws))
	}

	wantRedirect(t, "publish", f.post("health", base+"/publish", url.Values{"severity": {"high"}}), base+"?done=published&n=1")
	ws := f.windows()
	if len(ws) != 1 || ws[0].CaseID != c.ID || ws[0].VenueID != f.venue ||
		!ws[0].From.Equal(f.now.Add(-5*time.Hour)) || !ws[0].To.Equal(f.now.Add(-3*time.Hour+30*time.Minute)) {
		t.Fatalf("windows: got %+v, want An's stay at the workshop plus 30 minutes", ws)
	}
	wantPage(t, "the case after publishing", f.get("health", base+"?done=published&n=1"), 200)

	wantRedirect(t, "notify", f.post("health", base+"/notify", url.Values{}), base+"?done=notified&n=1")
	wantRedirect(t, "notify again", f.post("health", base+"/notify", url.Values{}), base+"?done=notified&n=0")
	wantPage(t, "notify by another province", f.post(health37, base+"/notify", url.Values{}), 404)
	if _, err := f.tracing.SendDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if m := f.outbox.Messages(); len(m) == 0 || m[0].To.Reveal() != binhPhone || m[0].Purpose != "exposure" || !strings.Contains(m[0].Text, "Xưởng may số 1") {
		t.Errorf("outbox: got %+v, want the SMS to Bình naming the workshop", m)
	}
}

func TestPlaceShowsExposureNotice(t *testing.T) {
	f := newPagesFixture(t)
	place := placeURL(f.venue)
	body := wantPage(t, "no window", f.get(pgManager, place), 200)
	if strings.Contains(body, `id="exposure-notice"`) {
		t.Errorf("a place without windows shows the notice")
	}
	from, to := time.Now().Add(-3*time.Hour).Truncate(time.Minute), time.Now().Add(-2*time.Hour).Truncate(time.Minute)
	w, err := f.tracing.PublishWindow(context.Background(), f.principalOf("health"), tracing.Publish{
		VenueID: f.venue, From: from, To: to, Severity: ravao.SeverityHigh, Reason: "Bí mật: ca F0 tên Nguyễn Văn An",
	})
	if err != nil {
		t.Fatal(err)
	}
	times := f.srv.localTime(from, shownTime) + " – " + f.srv.localTime(to, shownTime)
	body = wantPage(t, "a current window", f.get(pgManager, place), 200, `id="exposure-notice"`, times)
	if strings.Contains(body, "Nguyễn Văn An") || strings.Contains(body, "Bí mật") {
		t.Errorf("the manager's notice shows something of the case")
	}
	if err := f.tracing.Withdraw(context.Background(), f.principalOf("health"), w.ID); err != nil {
		t.Fatal(err)
	}
	if body := f.get(pgManager, place).Body.String(); strings.Contains(body, `id="exposure-notice"`) {
		t.Errorf("a withdrawn window still shows the notice")
	}
}

func TestMeShowsExposureAlertWithoutScript(t *testing.T) {
	f := newVPFixture(t)
	device, _ := f.declareForm(vpDeclaration(nil))
	body := wantPage(t, "my page, no window", f.visit("GET", "/me", device, nil), 200, `id="exposure-alert"`)
	if strings.Contains(body, "data-window=") {
		t.Errorf("my page shows an alert with no window")
	}
	now := time.Now()
	w, err := f.tracing.PublishWindow(context.Background(), f.principalOf("health"), tracing.Publish{
		VenueID: f.venue, From: now.Add(-time.Hour), To: now.Add(time.Hour), Severity: ravao.SeverityHigh,
		MessageVI: "Hãy ở nhà và gọi trạm y tế phường.", MessageEN: "Stay at home and call the health station.", Reason: "r",
	})
	if err != nil {
		t.Fatal(err)
	}
	other, err := f.tracing.PublishWindow(context.Background(), f.principalOf("health"), tracing.Publish{
		VenueID: f.venue, From: now.Add(-26 * time.Hour), To: now.Add(-25 * time.Hour), Severity: ravao.SeverityLow, Reason: "r",
	})
	if err != nil {
		t.Fatal(err)
	}
	body = wantPage(t, "my page, a window over my visit", f.visit("GET", "/me", device, nil), 200,
		"Hãy ở nhà và gọi trạm y tế phường.", `data-window="`+strconv.FormatInt(w.ID, 10)+`"`, "Xưởng may số 1 · ")
	if strings.Contains(body, `data-window="`+strconv.FormatInt(other.ID, 10)+`"`) || strings.Contains(body, `id="exposure-alert" aria-labelledby="exposure-alert-title" hidden`) {
		t.Errorf("my page: the alert is hidden, or shows a window my visit is not in")
	}
	wantPage(t, "my page in English", f.do(request{method: "GET", path: "/me", lang: "en", cookies: []*http.Cookie{{Name: deviceCookie, Value: device}}}),
		200, "Stay at home and call the health station.", "You may have been exposed")
	if err := f.tracing.Withdraw(context.Background(), f.principalOf("health"), w.ID); err != nil {
		t.Fatal(err)
	}
	if body := f.visit("GET", "/me", device, nil).Body.String(); strings.Contains(body, "data-window=") {
		t.Errorf("my page still shows a withdrawn window")
	}
}
