package server

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/ravao/ravao/internal/testenv"
	"github.com/ravao/ravao/internal/y4m"
)

// gateBrowser is newBrowser with extra Chromium flags (a fake camera).
func gateBrowser(t *testing.T, base string, extra ...chromedp.ExecAllocatorOption) *browserSession {
	chromium := testenv.Chromium(t)
	opts := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("accept-lang", "vi-VN,vi"), chromedp.Flag("lang", "vi-VN"),
	}, extra...)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(ctx)
	t.Cleanup(cancelTab)
	return &browserSession{t: t, ctx: ctx, base: base}
}

// qrVideo writes a short video of code's QR code held in the middle of a
// 640×480 camera picture, for Chromium's fake camera.
func qrVideo(t *testing.T, code string) string {
	t.Helper()
	q, err := qrcode.New(code, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	frame := image.NewRGBA(image.Rect(0, 0, 640, 480))
	draw.Draw(frame, frame.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	qr := q.Image(360)
	at := image.Pt((640-360)/2, (480-360)/2)
	draw.Draw(frame, qr.Bounds().Add(at), qr, image.Point{}, draw.Src)
	frames := make([]image.Image, 20)
	for i := range frames {
		frames[i] = frame
	}
	path := filepath.Join(t.TempDir(), "qr.y4m")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if err := y4m.Write(out, 10, frames...); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestBrowserGateCamera: a guard opens the gate page and starts the
// camera, which sees a declared visitor's personal QR code: the page
// shows green with the masked name, and the visit is in the database.
func TestBrowserGateCamera(t *testing.T) {
	start := time.Now()
	f := newVisitorFixture(t)
	code := f.personalCode("0987000080")
	video := qrVideo(t, code)
	ts := httptest.NewServer(f.srv.Handler())
	defer ts.Close()
	b := gateBrowser(t, ts.URL, chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-fake-ui-for-media-stream", true), chromedp.Flag("use-file-for-fake-video-capture", video))
	b.login("gate", staffPassword, gatePath(f.cpA), "#camera-toggle")
	b.do("start the camera", chromedp.Click(chromedp.ID("camera-toggle")))
	b.until("the camera's scan", greenShown)
	if got := b.text("#decision-word") + " / " + b.text("#decision-who"); got != "Được vào / Nguyễn T*** K · Năm sinh 1985" {
		t.Errorf("decision: got %q", got)
	}
	if all, open := f.visitsAt(f.cpA); all != 1 || open != 1 {
		t.Errorf("visits at the gate: %d (%d open), want the visitor's one", all, open)
	}
	b.until("the counters follow", `document.getElementById('count-in').textContent === '1'`)
	native, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`'BarcodeDetector' in window`))
	if frames := strings.Count(f.logs.String(), `"route":"/api/v1/gate/frames"`); err != nil || !native && frames == 0 {
		t.Errorf("no BarcodeDetector (%v), and no frame sent to the server", err)
	} else {
		t.Logf("BarcodeDetector: %v; frames decoded by the server: %d", native, frames)
	}
	t.Logf("camera scan test: %v", time.Since(start).Round(time.Millisecond))
}

// TestBrowserGateScanner: a handheld scanner types a personal QR code,
// fast, ending with Enter, while the guard's cursor is in the phone
// field: the scan is recorded and the field does not keep the code.
func TestBrowserGateScanner(t *testing.T) {
	start := time.Now()
	f := newVisitorFixture(t)
	code := f.personalCode("0987000081")
	ts := httptest.NewServer(f.srv.Handler())
	defer ts.Close()
	b := gateBrowser(t, ts.URL)
	b.login("gate", staffPassword, gatePath(f.cpA), "#camera-toggle")
	b.do("the cursor in the phone field", chromedp.SetValue(chromedp.ID("g-phone"), "09"), chromedp.Focus(chromedp.ID("g-phone")))
	b.do("scan", wedge(code))
	b.until("the scanner's scan", greenShown)
	phone, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.ID("g-phone")))
	if err != nil || phone != "09" {
		t.Errorf("phone field after the scan: %q (%v), want what the guard typed, 09", phone, err)
	}
	if all, _ := f.visitsAt(f.cpA); all != 1 {
		t.Errorf("visits at the gate: %d, want 1", all)
	}
	t.Logf("scanner test: %v", time.Since(start).Round(time.Millisecond))
}

// TestBrowserGateForms: the page's forms over the API, without a page
// load: a chip ID card is yellow and answered on the spot (green); a
// visitor with nothing to scan leaves by phone and SMS code; someone new
// is declared on their behalf and let in.
func TestBrowserGateForms(t *testing.T) {
	start := time.Now()
	f := newVisitorFixture(t)
	code := f.personalCode("0987000083")
	ts := httptest.NewServer(f.srv.Handler())
	defer ts.Close()
	b := gateBrowser(t, ts.URL)
	b.login("gate", staffPassword, gatePath(f.cpA), "#camera-toggle")
	b.do("scan an ID card", wedge("035090001234|168123456|Trần Thị Bình|15031990|Nữ|Phủ Lý|01072021"))
	b.until("the questions", `!document.getElementById('answer').hidden`)
	b.do("answer on the spot", chromedp.Click(chromedp.ID("a-symptoms-none")), chromedp.Click(chromedp.ID("a-contact-no")),
		chromedp.Click(chromedp.ID("a-travel-no")), chromedp.Click(chromedp.ID("answer-submit")))
	b.until("green after the answers", greenShown+` && document.getElementById('answer').hidden`)

	b.do("scan the visitor in", wedge(code))
	b.until("the visitor in", `document.getElementById('count-in').textContent === '2'`)
	b.do("ask for an SMS code", chromedp.Click(chromedp.ID("g-out")), chromedp.SetValue(chromedp.ID("g-phone"), "0987 000 083"),
		chromedp.Click(chromedp.ID("phone-submit")))
	b.until("the code form", `!document.getElementById('code-form').hidden`)
	msgs := f.outbox.Messages()
	b.do("the code read out", chromedp.SetValue(chromedp.ID("g-code"), smsCode.FindString(msgs[len(msgs)-1].Text)), chromedp.Click(chromedp.ID("code-submit")))
	b.until("the exit", `document.querySelector('#decision.decision-out') !== null && document.getElementById('count-out').textContent === '1'`)
	if got := b.text("#decision-who"); got != "Nguyễn T*** K · Năm sinh 1985" {
		t.Errorf("exit by phone: got %q", got)
	}

	b.do("declare someone new", chromedp.Click(chromedp.CSS("#declare summary")), chromedp.Click(chromedp.ID("g-in")))
	b.fill("the person", [][2]string{{"f-full-name", "Phạm Văn Mới"}, {"f-birth-year", "1970"}, {"f-sex", "m"}, {"f-unit", "13321"}})
	b.do("answers and consent", chromedp.Click(chromedp.ID("f-symptoms-none")), chromedp.Click(chromedp.ID("f-contact-no")),
		chromedp.Click(chromedp.ID("f-travel-no")), chromedp.Click(chromedp.ID("f-consent")), chromedp.Click(chromedp.ID("declare-submit")))
	b.until("let in", greenShown+` && !document.getElementById('declare').open`)
	if got := b.text("#decision-who"); got != "Phạm V*** M · Năm sinh 1970" {
		t.Errorf("declared on behalf: got %q", got)
	}
	if all, open := f.visitsAt(f.cpA); all != 3 || open != 2 {
		t.Errorf("visits: %d (%d open), want the card's, the visitor's (closed) and the newcomer's", all, open)
	}
	t.Logf("forms test: %v", time.Since(start).Round(time.Millisecond))
}

// queued is an offline scan as the page keeps it in IndexedDB.
type queued struct {
	Payload        string `json:"payload"`
	Direction      string `json:"direction"`
	IdempotencyKey string `json:"idempotency_key"`
	DeviceTime     string `json:"device_time"`
}

// TestBrowserGateOffline: the gate page, opened once online, opens again
// with the network gone (service worker); 20 ID cards scanned offline wait
// in the queue, and sync to exactly 20 visits when the network returns.
// Replaying the same queue adds nothing; a scan dated 4 days ago is
// refused with its reason.
func TestBrowserGateOffline(t *testing.T) {
	start := time.Now()
	f := newVisitorFixture(t)
	ts := httptest.NewServer(f.srv.Handler())
	defer ts.Close()
	b := gateBrowser(t, ts.URL)
	page := gatePath(f.cpA)
	b.login("gate", staffPassword, page, "#camera-toggle")
	b.until("key and page kept for offline use", `localStorage.getItem('ravao_gate_key') !== null && navigator.serviceWorker.controller !== null &&
		caches.open('ravao-gate-v1').then(c => c.keys()).then(k => k.length >= 5)`)

	b.network(false)
	b.do("open the page offline", chromedp.Reload())
	b.until("the page offline", `!document.getElementById('offline').hidden`)
	for i := range 20 {
		card := fmt.Sprintf("0350900%05d||Lê Thị Ngoại Tuyến|0101198%d|Nữ|Phủ Lý, Hà Nam|01072021", i, i%10)
		b.do(fmt.Sprintf("scan card %d", i), wedge(card))
		b.until(fmt.Sprintf("card %d queued", i), fmt.Sprintf(`document.getElementById('queue').textContent.startsWith('%d ')`, i+1))
	}
	if got, who := b.text("#queue"), b.text("#decision-who"); got != "20 lượt quét đang chờ đồng bộ" || b.text("#decision-word") != "Chưa khai báo y tế" ||
		who != "Lê T*** N*** T · Năm sinh 1989" {
		t.Errorf("offline: queue %q, decision %q about %q", got, b.text("#decision-word"), who)
	}
	if all, _ := f.visitsAt(f.cpA); all != 0 {
		t.Fatalf("%d visits while offline", all)
	}
	raw, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`new Promise((ok, ko) => { const rq = indexedDB.open('ravao-gate');
		rq.onsuccess = () => { const g = rq.result.transaction('queue').objectStore('queue').getAll(); g.onsuccess = () => ok(JSON.stringify(g.result)); g.onerror = ko; }; })`, chromedp.EvalAwaitPromise))
	var items []queued
	if err != nil || json.Unmarshal([]byte(raw), &items) != nil || len(items) != 20 {
		t.Fatalf("the queue in IndexedDB: %d items (%v)", len(items), err)
	}

	synced := time.Now()
	b.network(true)
	b.until("sync", `document.getElementById('queue').hidden && document.getElementById('offline').hidden`)
	t.Logf("20 queued scans synced in %v", time.Since(synced).Round(time.Millisecond))
	var n int
	if err := f.visitorSQL().QueryRow(`SELECT COUNT(*) FROM visits WHERE checkpoint_id = ? AND source = 'sync'`, f.cpA).Scan(&n); err != nil || n != 20 {
		t.Errorf("%d synced visits (%v), want 20", n, err)
	}

	old := queued{Payload: "035090099999||Cũ|01011980|Nam|Hà Nam|01012021", Direction: "in", IdempotencyKey: "old",
		DeviceTime: time.Now().Add(-96 * time.Hour).UTC().Format(time.RFC3339)}
	batch, _ := json.Marshal(map[string]any{"checkpoint_id": f.cpA, "scans": append(items, old)})
	rec := f.gateCall("gate", "POST", "/api/v1/gate/scans/batch", string(batch))
	var got struct {
		Accepted   int `json:"accepted"`
		Duplicates int `json:"duplicates"`
		Rejected   []struct {
			IdempotencyKey string `json:"idempotency_key"`
			Message        string `json:"message"`
		} `json:"rejected"`
	}
	decode(t, rec.Body, &got)
	if rec.Code != http.StatusOK || got.Accepted != 0 || got.Duplicates != 20 || len(got.Rejected) != 1 || got.Rejected[0].Message != f.srv.cat.T("vi", "err.scan_too_old") {
		t.Errorf("the same queue again, and a scan 4 days old: %d %+v", rec.Code, got)
	}
	if all, _ := f.visitsAt(f.cpA); all != 20 {
		t.Errorf("%d visits after the replay, want 20", all)
	}
	t.Logf("offline test: %v", time.Since(start).Round(time.Millisecond))
}

// greenShown is true once the page shows a green decision.
const greenShown = `document.querySelector('#decision.decision-green') !== null`

// until waits (10 seconds at most) for a JavaScript condition, which may
// be a promise; on failure it says what the page's decision shows.
func (b *browserSession) until(what, cond string) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		shown, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.getElementById('decision').innerText`))
		b.t.Fatalf("%s: %v (the page shows %q)", what, err, shown)
	}
}

// scanKeyGap is the time between a handheld scanner's keys.
var scanKeyGap = 4 * time.Millisecond

// wedge types s as a handheld scanner does, each character fast as its
// key value, then Enter. Letters outside ASCII come the way a Vietnamese
// input method (Unikey, Telex) sends them: its own "Process" key, a plain
// letter taken back with Backspace, then the accented letter.
func wedge(s string) chromedp.Action[chromedp.Void] {
	var keys []input.DispatchKeyEventParams
	key := func(k, text string, code int64) {
		keys = append(keys, input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: k, Text: text, WindowsVirtualKeyCode: code},
			input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyUp, Key: k, WindowsVirtualKeyCode: code})
	}
	for _, r := range s {
		if r > unicode.MaxASCII {
			key("Process", "", 229)
			key("a", "a", 'A')
			key("Backspace", "", 8)
		}
		key(string(r), string(r), 0)
	}
	key("Enter", "\r", 13)
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		// Each key carries the time a scanner would press it, 4 ms after
		// the one before, as the page reads event times: a busy test
		// machine delivering them late does not split the scan.
		start := time.Now()
		for i, k := range keys {
			k.Timestamp = input.TimeSinceEpoch(float64(start.Add(time.Duration(i/2)*scanKeyGap).UnixMicro()) / 1e6)
			if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, k); err != nil {
				return err
			}
		}
		return nil
	})
}

// TestBrowserGateOfflinePersonalQR: with the network gone, the page checks
// a personal QR code's signature with the server's public key: a valid
// green code is let in and queued, a tampered one is refused and not
// queued; back online, the one scan becomes one visit.
func TestBrowserGateOfflinePersonalQR(t *testing.T) {
	f := newVisitorFixture(t)
	code := f.personalCode("0987000082")
	tampered := code[:len(code)-1] + string('0'+(code[len(code)-1]-'0'+1)%10)
	ts := httptest.NewServer(f.srv.Handler())
	defer ts.Close()
	b := gateBrowser(t, ts.URL)
	b.login("gate", staffPassword, gatePath(f.cpA), "#camera-toggle")
	b.until("the key kept", `localStorage.getItem('ravao_gate_key') !== null`)
	b.network(false)
	b.until("offline", `!document.getElementById('offline').hidden`)
	b.do("scan a tampered code", wedge(tampered))
	b.until("refused", `document.querySelector('#decision.decision-error') !== null`)
	if got, want := b.text("#decision-notes"), f.srv.cat.T("vi", "err.personal_qr_invalid"); got != want {
		t.Errorf("tampered code offline: got %q, want %q", got, want)
	}
	b.do("scan the visitor's code", wedge(code))
	b.until("the visitor's scan", greenShown)
	if got := b.text("#queue"); got != "1 lượt quét đang chờ đồng bộ" {
		t.Errorf("queue: got %q, want the one valid scan", got)
	}
	b.network(true)
	b.until("sync", `document.getElementById('queue').hidden`)
	var n int
	if err := f.visitorSQL().QueryRow(`SELECT COUNT(*) FROM visits WHERE checkpoint_id = ? AND source = 'sync'`, f.cpA).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d synced visits (%v), want 1", n, err)
	}
}

// TestBrowserGateSyncsALongQueue: a day's worth of offline scans, 1,000
// ID cards, syncs in batches of at most 500, each scan once.
func TestBrowserGateSyncsALongQueue(t *testing.T) {
	f := newVisitorFixture(t)
	ts := httptest.NewServer(f.srv.Handler())
	defer ts.Close()
	b := gateBrowser(t, ts.URL)
	b.login("gate", staffPassword, gatePath(f.cpA), "#camera-toggle")
	b.network(false)
	b.until("offline", `!document.getElementById('offline').hidden`)
	fill := fmt.Sprintf(`new Promise((ok, ko) => { const rq = indexedDB.open('ravao-gate', 1); rq.onerror = ko;
		rq.onsuccess = () => { const tx = rq.result.transaction('queue', 'readwrite'), s = tx.objectStore('queue');
			for (let i = 0; i < 1000; i++) {
				s.put({checkpoint_id: %d, payload: '0350900' + String(i).padStart(5, '0') + '||Người Thứ ' + i + '|01011980|Nam|Hà Nam|01012021',
					direction: 'in', idempotency_key: 'k' + i, device_time: new Date(Date.now() - 60000).toISOString()});
			}
			tx.oncomplete = () => ok(true); tx.onerror = ko; }; })`, f.cpA)
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](fill, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("fill the queue: %v", err)
	}
	start := time.Now()
	b.network(true)
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`document.getElementById('queue').hidden && document.getElementById('decision-word').textContent === 'Đã đồng bộ 1000 lượt quét.'`,
		chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("sync 1,000 scans: %v", err)
	}
	t.Logf("1,000 queued scans synced in %v", time.Since(start).Round(time.Millisecond))
	var n int
	if err := f.visitorSQL().QueryRow(`SELECT COUNT(*) FROM visits WHERE checkpoint_id = ? AND source = 'sync'`, f.cpA).Scan(&n); err != nil || n != 1000 {
		t.Errorf("%d synced visits (%v), want 1000", n, err)
	}
	if batches := strings.Count(f.logs.String(), `"route":"/api/v1/gate/scans/batch","status":200`); batches != 2 {
		t.Errorf("%d sync requests, want 2 of 500", batches)
	}
}

// network cuts the browser's network (page and service worker alike) and
// tells the page, or gives it back.
func (b *browserSession) network(up bool) {
	b.t.Helper()
	off := !up
	conditions := []*network.Conditions{}
	if off {
		conditions = append(conditions, &network.Conditions{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
	}
	_, err := chromedp.Call(b.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		EmulateOfflineServiceWorker: &off, MatchedNetworkConditions: conditions})
	if err == nil {
		_, err = chromedp.Call(b.ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: off, DownloadThroughput: -1, UploadThroughput: -1})
	}
	if err != nil {
		b.t.Fatalf("network up=%v: %v", up, err)
	}
}

// TestAxeGatePage runs axe-core's WCAG 2.1 AA rules on the gate page on a
// phone, in Vietnamese and in English, as it opens and with a yellow
// decision and its on-the-spot questions, and fails on each serious or
// critical violation.
func TestAxeGatePage(t *testing.T) {
	script := axeScript(t)
	f := newVisitorFixture(t)
	ts := httptest.NewServer(f.srv.Handler())
	defer ts.Close()
	b := gateBrowser(t, ts.URL)
	b.do("emulate a phone", chromedp.Emulate(midRangePhone))
	page := gatePath(f.cpA)
	b.login("gate", staffPassword, page, "#camera-toggle")
	for i, lang := range []string{"vi", "en"} {
		if lang == "en" {
			b.do("switch to English", chromedp.Navigate(ts.URL+"/lang/en?next="+page), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] #camera-toggle`)))
		}
		b.checkAxe(script, lang+", as it opens")
		b.do("scan an ID card", wedge(fmt.Sprintf("03509000123%d||Trần Thị Bình|15031990|Nữ|Phủ Lý|01072021", i)))
		b.until("yellow", `!document.getElementById('answer').hidden`)
		b.checkAxe(script, lang+", yellow")
	}
}

// checkAxe fails the test on each serious or critical violation of the
// page as it is.
func (b *browserSession) checkAxe(script, what string) {
	b.t.Helper()
	for _, x := range b.axe(script) {
		if x.Impact == "serious" || x.Impact == "critical" {
			b.t.Errorf("%s: %s %s: %s; at %s", what, x.Impact, x.ID, x.Help, strings.Join(x.Targets, ", "))
		} else {
			b.t.Logf("%s: %s %s: %s; at %s", what, x.Impact, x.ID, x.Help, strings.Join(x.Targets, ", "))
		}
	}
}
