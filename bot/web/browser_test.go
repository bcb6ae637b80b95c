package web

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/whereto-bot/whereto/flows/lang"
)

// Real-browser tests: Debian's chromium driven by chromedp, against the
// chat on loopback. They skip when no chromium is installed, except under
// CI (CI set), where .ci/run installs it and a skip would hide a failure.
//
//	go test ./bot/web -run Browser -v
//	go test ./bot/web -run BrowserScreenshots -screenshots   # writes docs/webchat-*.png
//
// The axe-core audit reads axe.min.js from $AXE_CORE_JS, or from
// node_modules/axe-core at the repository's root (npm install axe-core).
var screenshots = flag.Bool("screenshots", false, "write docs/webchat-phone.png and docs/webchat-desktop.png")

func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser starts a headless chromium for the test and returns a tab's
// context, with a timeout for the whole test.
func browser(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests skipped with -short")
	}
	path := chromiumPath()
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed, and CI must run the browser tests: apt-get install -y chromium")
		}
		t.Skip("chromium is not installed (apt-get install -y chromium): browser tests skipped")
	}
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.WindowSize(1280, 800))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	// The first action starts the browser: without a timeout, which would
	// otherwise end the browser with it.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	// Reduced motion: a smooth scroll moving a button while chromedp
	// clicks at its old place would make the tests flaky.
	if err := chromedp.Do(ctx, reducedMotion); err != nil {
		t.Fatal(err)
	}
	tctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel)
	return tctx
}

var reducedMotion = chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
	_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
	})
	return err
})

// site is the chat on one loopback origin and a "neutral" site (the quick
// exit's destination, a page to come from, and a council page embedding
// the widget) on another.
type site struct {
	f       *fixture
	chat    string // base URL of the chat
	neutral string // base URL of the other site
}

func newSite(t *testing.T, cfg Config) *site {
	t.Helper()
	s := &site{}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/weather":
			fmt.Fprint(w, `<!doctype html><html lang="en"><title>Weather</title><h1>Weather</h1>`)
		case "/council":
			fmt.Fprintf(w, `<!doctype html><html lang="en"><title>Council</title><h1>Council</h1><a href="%s/chat">Chat</a>`, s.chat)
		case "/embed":
			fmt.Fprintf(w, `<!doctype html><html lang="en"><title>Council</title><h1>Council</h1><script src="%s/chat/widget.js" async></script>`, s.chat)
		case "/embed-pl":
			fmt.Fprintf(w, `<!doctype html><html lang="pl-PL"><title>Rada</title><h1>Rada</h1><script src="%s/chat/widget.js" async></script>`, s.chat)
		case "/frame":
			// A site that is not allowed to embed the chat, trying to.
			fmt.Fprintf(w, `<!doctype html><html lang="en"><title>Other</title><h1>Other</h1><iframe id="f" title="chat" src="%s/chat"></iframe>`, s.chat)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(other.Close)
	s.neutral = other.URL
	cfg.ExitURL = other.URL + "/weather"
	if cfg.Burst == 0 {
		cfg.Burst = 1000
	}
	s.f = newFixture(t, cfg)
	srv := httptest.NewServer(s.f.h)
	t.Cleanup(srv.Close)
	s.chat = srv.URL
	return s
}

// do runs steps, each within 20 seconds; on a failure it shows where
// the page was and what it said.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	for i, step := range steps {
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		err := chromedp.Do(sctx, step)
		cancel()
		if err != nil {
			state, serr := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText`))
			t.Fatalf("step %d of %d: %v; the page (%v):\n%s", i+1, len(steps), err, serr, state)
		}
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// back is the Back button. Unlike chromedp.NavigateBack it does not wait
// for a load event, which a page restored from the back-forward cache
// never fires.
var back = chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
	h, err := cdp.Call(ctx, tg, page.GetNavigationHistory, cdp.Empty{})
	if err != nil {
		return err
	}
	if h.CurrentIndex < 1 {
		return fmt.Errorf("no page to go back to")
	}
	_, err = cdp.Call(ctx, tg, page.NavigateToHistoryEntry, page.NavigateToHistoryEntryParams{EntryID: h.Entries[h.CurrentIndex-1].ID})
	return err
})

func history(t *testing.T, ctx context.Context) []string {
	t.Helper()
	h, err := chromedp.Run(ctx, func(ctx context.Context, tg *chromedp.Target) (page.GetNavigationHistoryResult, error) {
		return cdp.Call(ctx, tg, page.GetNavigationHistory, cdp.Empty{})
	})
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, e := range h.Entries {
		urls = append(urls, e.URL)
	}
	return urls
}

// button is a search for the button whose words contain label.
func button(label string) chromedp.Search {
	return chromedp.Search(fmt.Sprintf(`//button[contains(., %q)]`, label))
}

// reachCouncil types a message and presses a button, as a resident would,
// and waits for the council's number.
func reachCouncil(t *testing.T, ctx context.Context, s *site) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(s.chat+"/chat"))
	converse(t, ctx)
}

// converse is reachCouncil on the page already open.
func converse(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx,
		chromedp.WaitVisible(chromedp.ID("text")),
		chromedp.SendKeys(chromedp.ID("text"), "someone dumped rubbish in my street"+kb.Enter),
		chromedp.WaitVisible(button("In Luton")),
		chromedp.Click(button("In Luton")),
		chromedp.WaitVisible(chromedp.CSS(`a[href="tel:01582510330"]`)),
	)
}

func TestBrowserConversation(t *testing.T) {
	ctx := browser(t)
	s := newSite(t, Config{})
	do(t, ctx, chromedp.Navigate(s.chat+"/chat"), chromedp.WaitVisible(chromedp.ID("exit-note")))
	eval[bool](t, ctx, `window.samePage = true`)
	converse(t, ctx)

	if !eval[bool](t, ctx, `window.samePage === true`) {
		t.Error("the page was reloaded: the script did not take the turns")
	}
	if n := len(history(t, ctx)); n > 2 {
		t.Errorf("history has %d entries after the conversation, want the chat's one (and about:blank)", n)
	}
	mine := eval[[]string](t, ctx, `[...document.querySelectorAll('#log .msg.me')].map(m => m.textContent.trim())`)
	if len(mine) != 2 || !strings.HasSuffix(mine[0], "someone dumped rubbish in my street") || !strings.HasSuffix(mine[1], "In Luton") {
		t.Errorf("the person's messages: got %q", mine)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#log .msg.bot').length`); n < 4 {
		t.Errorf("bot messages on the page: got %d, want the whole conversation", n)
	}
	if got := eval[string](t, ctx, `document.getElementById('log').getAttribute('role')`); got != "log" {
		t.Errorf("the conversation is not a live region: role %q", got)
	}
	if got := eval[string](t, ctx, `document.activeElement.className`); !strings.Contains(got, "msg bot") {
		t.Errorf("focus after pressing a button: on %q, want the new answer", got)
	}
	if got := eval[string](t, ctx, `document.cookie + '|' + localStorage.length + '|' + sessionStorage.length`); got != "|0|0" {
		t.Errorf("cookies and storage: got %q, want none", got)
	}
	choices := eval[[]string](t, ctx, `[...document.querySelectorAll('#choices button')].map(b => b.textContent)`)
	if !slices.Contains(choices, "Start again") {
		t.Errorf("the buttons after the answer: %q", choices)
	}

	// Clear this conversation: the page is emptied and the answer says so.
	do(t, ctx, chromedp.Click(button("Clear this conversation")), chromedp.WaitVisible(chromedp.Search(`//p[contains(., "I deleted what I remembered")]`)))
	text := eval[string](t, ctx, `document.getElementById('log').innerText`)
	if strings.Contains(text, "someone dumped rubbish") || !strings.Contains(text, "I also deleted") {
		t.Errorf("after clearing, the page shows:\n%s", text)
	}
}

func TestBrowserQuickExit(t *testing.T) {
	ctx := browser(t)
	s := newSite(t, Config{})
	for _, how := range []string{"Escape", "button"} {
		t.Run(how, func(t *testing.T) {
			do(t, ctx,
				chromedp.Navigate(s.neutral+"/council"),
				chromedp.Navigate(s.chat+"/chat"),
				chromedp.WaitVisible(chromedp.ID("exit-note")),
				chromedp.SendKeys(chromedp.ID("text"), "my partner hits me"),
			)
			if how == "Escape" {
				do(t, ctx, chromedp.KeyEvent(kb.Escape))
			} else {
				do(t, ctx, chromedp.Click(chromedp.ID("exit")))
			}
			do(t, ctx, chromedp.WaitVisible(chromedp.Search(`//h1[text()="Weather"]`)))
			for _, u := range history(t, ctx) {
				if strings.Contains(u, "/chat") {
					t.Errorf("the chat is still in the history: %s", u)
				}
			}
			do(t, ctx, back)
			// Polled: a page restored from the back-forward cache is not
			// seen by chromedp's DOM queries.
			loc := ""
			for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
				if loc = eval[string](t, ctx, `document.readyState == "complete" ? location.href : ""`); loc != "" && !strings.HasSuffix(loc, "/weather") {
					break
				}
			}
			if loc != s.neutral+"/council" {
				t.Errorf("Back went to %s, want the page before the chat", loc)
			}
		})
	}
}

// Without JavaScript: forms post, each answer is a page, the quick exit is
// a plain link.
func TestBrowserWithoutJavaScript(t *testing.T) {
	ctx := browser(t)
	s := newSite(t, Config{})
	noScript := func(off bool) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: off})
			return err
		})
	}
	do(t, ctx,
		noScript(true),
		chromedp.Navigate(s.chat+"/chat"),
		chromedp.WaitVisible(chromedp.Search(`//p[contains(., "JavaScript is off")]`)),
		chromedp.SendKeys(chromedp.ID("text"), "someone dumped rubbish in my street"),
		chromedp.Click(button("Send")),
		chromedp.WaitVisible(button("In Luton")),
		chromedp.Click(button("In Luton")),
		chromedp.WaitVisible(chromedp.CSS(`a[href="tel:01582510330"]`)),
	)
	if n := len(history(t, ctx)); n < 4 {
		t.Errorf("history: %d entries, want a page per answer", n)
	}
	nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.ID("exit-note"), chromedp.AtLeast(0)))
	if err != nil {
		t.Fatal(err)
	}
	if len(nodes) != 1 || nodes[0].AttributeValue("hidden") == "" && !slices.Contains(nodes[0].Attributes, "hidden") {
		t.Errorf("the script's sentence about Esc is shown without script")
	}
	if *axeFlagOK(t) {
		// Audit the no-script page as it stands, with script turned
		// back on for the audit only.
		do(t, ctx, noScript(false))
		checkAxe(t, ctx, "the answer without JavaScript")
	}
	do(t, ctx, noScript(true), chromedp.Click(chromedp.ID("exit")), chromedp.WaitVisible(chromedp.Search(`//h1[text()="Weather"]`)))
}

func TestBrowserNarrowScreen(t *testing.T) {
	ctx := browser(t)
	s := newSite(t, Config{})
	do(t, ctx,
		chromedp.EmulateViewport(320, 568, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		reducedMotion,
	)
	reachCouncil(t, ctx, s)
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 320 {
		t.Errorf("the page is %d px wide at 320 px: it scrolls sideways", w)
	}
	eval[bool](t, ctx, `window.scrollTo(0, document.body.scrollHeight); true`)
	inView := eval[bool](t, ctx, `(() => { const r = document.getElementById('exit').getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight && r.right <= innerWidth && r.width >= 24 && r.height >= 24; })()`)
	if !inView {
		t.Error("the quick exit is not on screen after scrolling")
	}
	if anim := eval[string](t, ctx, `getComputedStyle(document.querySelector('.msg.new')).animationName`); anim != "none" {
		t.Errorf("with reduced motion, new messages animate: %q", anim)
	}
	small := eval[[]string](t, ctx, `[...document.querySelectorAll('button, a.btn, #exit')].filter(b => { const r = b.getBoundingClientRect(); return r.width > 0 && (r.height < 24 || r.width < 24); }).map(b => b.textContent)`)
	if len(small) > 0 {
		t.Errorf("targets smaller than 24 px (WCAG 2.5.8): %q", small)
	}
}

// axeSource returns axe-core's script, or "" if it is not installed.
func axeSource(t *testing.T) string {
	t.Helper()
	paths := []string{os.Getenv("AXE_CORE_JS"), filepath.Join("..", "..", "node_modules", "axe-core", "axe.min.js")}
	for _, p := range paths {
		if p == "" {
			continue
		}
		if b, err := os.ReadFile(p); err == nil {
			return string(b)
		}
	}
	return ""
}

// axeFlagOK reports whether axe-core is there; without it the audit is
// skipped locally and fails under CI.
func axeFlagOK(t *testing.T) *bool {
	ok := axeSource(t) != ""
	if !ok && os.Getenv("CI") != "" {
		t.Fatal("axe-core is not installed, and CI must run the audit: npm install axe-core, or set AXE_CORE_JS")
	}
	return &ok
}

// checkAxe runs axe-core on the page at WCAG 2.2 A and AA and reports
// every violation.
func checkAxe(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axeSource(t))); err != nil {
		t.Fatalf("loading axe-core: %v", err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](`axe.run(document, {
		runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
		resultTypes: ['violations']
	}).then(r => ({
		violations: r.violations.flatMap(v => v.nodes.map(n => v.id + ' (' + v.impact + ') ' + n.target.join(' ') + ': ' + n.failureSummary)),
		passes: r.passes.length
	}))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("running axe-core: %v", err)
	}
	var res struct {
		Violations []string
		Passes     int
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatal(err)
	}
	if res.Passes == 0 {
		t.Errorf("%s: axe-core passed no rule: the audit did not run", where)
	}
	for _, v := range res.Violations {
		t.Errorf("%s: %s", where, v)
	}
	t.Logf("%s: axe-core: %d rules passed, %d violations", where, res.Passes, len(res.Violations))
}

func TestBrowserAccessibility(t *testing.T) {
	if !*axeFlagOK(t) {
		t.Skip("axe-core is not installed (npm install axe-core at the repository's root, or set AXE_CORE_JS): audit skipped")
	}
	ctx := browser(t)
	s := newSite(t, Config{Burst: 2})
	do(t, ctx, chromedp.Navigate(s.chat+"/chat"), chromedp.WaitVisible(chromedp.ID("exit-note")))
	checkAxe(t, ctx, "the welcome")
	do(t, ctx,
		chromedp.SendKeys(chromedp.ID("text"), "someone dumped rubbish in my street"+kb.Enter),
		chromedp.WaitVisible(button("In Luton")),
	)
	checkAxe(t, ctx, "a question")
	// The third request from this address is over the limit: the 429
	// page, as a whole page.
	do(t, ctx, chromedp.Navigate(s.chat+"/chat"), chromedp.WaitVisible(chromedp.Search(`//p[contains(., "Wait a minute")]`)))
	checkAxe(t, ctx, "the too-many-messages page")
	s.f.chat.limit = newLimiter(DefaultRate, 1000, 10)
	reachCouncil(t, ctx, s)
	checkAxe(t, ctx, "the council's answer")
}

// The widget on a council page of an allowed origin opens the chat in a
// panel; Escape leaves the council page too.
func TestBrowserWidget(t *testing.T) {
	ctx := browser(t)
	var s *site
	s = newSite(t, Config{})
	// The neutral site's origin is allowed to embed the chat.
	s.f.chat.csp = csp([]string{s.neutral})
	s.f.chat.cfg.Origins = []string{s.neutral}
	do(t, ctx,
		chromedp.Navigate(s.neutral+"/embed"),
		chromedp.WaitVisible(button("Report something or get help")),
		chromedp.Click(button("Report something or get help")),
		chromedp.WaitVisible(chromedp.CSS("iframe")),
		// The chat inside the frame: found by searching the whole tree.
		chromedp.WaitVisible(chromedp.Search(`//a[@id="exit"]`)),
	)
	if got := eval[string](t, ctx, `document.querySelector('iframe').src`); got != s.chat+"/chat?embed=1&lang=en" {
		t.Errorf("the panel's frame: %s", got)
	}
	do(t, ctx,
		chromedp.KeyEvent(kb.Escape),
		chromedp.WaitVisible(chromedp.Search(`//h1[text()="Weather"]`)),
	)
	for _, u := range history(t, ctx) {
		if strings.Contains(u, "/embed") {
			t.Errorf("the council page with the chat is still in the history: %s", u)
		}
	}
}

// Screenshots of the chat on a phone and on a desktop, for the README:
// go test ./bot/web -run BrowserScreenshots -screenshots
func TestBrowserScreenshots(t *testing.T) {
	if !*screenshots {
		t.Skip("run with -screenshots to write docs/webchat-phone.png, -desktop.png and -urdu.png")
	}
	ctx := browser(t)
	s := newSite(t, Config{})
	for _, v := range []struct {
		file  string
		w, h  int64
		scale float64
	}{
		{"webchat-phone.png", 390, 844, 2},
		{"webchat-desktop.png", 1280, 800, 1},
	} {
		opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(v.scale)}
		if v.w < 600 {
			opts = append(opts, chromedp.EmulateMobile)
		}
		do(t, ctx, chromedp.EmulateViewport(v.w, v.h, opts...))
		reachCouncil(t, ctx, s)
		do(t, ctx, chromedp.Sleep(300*time.Millisecond)) // the smooth scroll
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("..", "..", "docs", v.file)
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes)", path, len(png))
	}
	// The chat in Urdu, right to left, on a phone.
	do(t, ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(s.chat+"/chat?lang=ur"),
		chromedp.WaitVisible(chromedp.ID("text")),
		chromedp.SendKeys(chromedp.ID("text"), "میرا فون چوری ہو گیا"+kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`a[href="tel:101"]`)),
		chromedp.Sleep(300*time.Millisecond), // the smooth scroll
	)
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "docs", "webchat-urdu.png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d bytes)", path, len(png))
}

// The widget on a Polish council page speaks Polish, and opens the chat
// in Polish.
func TestBrowserWidgetLanguage(t *testing.T) {
	ctx := browser(t)
	s := newSite(t, Config{})
	s.f.chat.csp = csp([]string{s.neutral})
	s.f.chat.cfg.Origins = []string{s.neutral}
	open := lang.T("pl", "web.widget_open")
	do(t, ctx,
		chromedp.Navigate(s.neutral+"/embed-pl"),
		chromedp.WaitVisible(button(open)),
		chromedp.Click(button(open)),
		chromedp.WaitVisible(chromedp.CSS("iframe")),
		chromedp.WaitVisible(chromedp.Search(`//a[@id="exit"]`)),
	)
	if got := eval[string](t, ctx, `document.querySelector('iframe').src`); got != s.chat+"/chat?embed=1&lang=pl" {
		t.Errorf("the panel's frame: %s", got)
	}
	if got := eval[string](t, ctx, `document.querySelector('[role=dialog] button').textContent`); got != lang.T("pl", "web.widget_close") {
		t.Errorf("the close button: %q", got)
	}
}

// A page in Urdu is marked so, right to left, message by message; a
// person who changes language, or writes in another, gets the page's own
// words in it too; the audit passes in every one.
func TestBrowserLanguages(t *testing.T) {
	ctx := browser(t)
	s := newSite(t, Config{})
	do(t, ctx, chromedp.Navigate(s.chat+"/chat?lang=ur"), chromedp.WaitVisible(chromedp.ID("exit-note")))
	page := func() string {
		return eval[string](t, ctx, `document.documentElement.lang + ' ' + document.documentElement.dir`)
	}
	if got := page(); got != "ur rtl" {
		t.Errorf("the Urdu page: %q, want \"ur rtl\"", got)
	}
	bots := func() []string {
		return eval[[]string](t, ctx, `[...document.querySelectorAll('#log .msg.bot')].map(m => m.lang + ' ' + m.dir)`)
	}
	for _, got := range bots() {
		if got != "ur rtl" {
			t.Errorf("an Urdu message is marked %q", got)
		}
	}
	if *axeFlagOK(t) {
		checkAxe(t, ctx, "the Urdu welcome")
	}
	// The one-tap English button.
	do(t, ctx,
		chromedp.Click(button("English")),
		chromedp.WaitVisible(chromedp.Search(`//p[contains(., "I will write in English")]`)),
	)
	if got := page(); got != "en ltr" {
		t.Errorf("after English: the page is %q", got)
	}
	if got := eval[string](t, ctx, `document.querySelector('#send button').textContent`); got != "Send" {
		t.Errorf("after English: the send button says %q", got)
	}
	// A language the person chose stays: a Polish message is answered in
	// English.
	do(t, ctx,
		chromedp.SendKeys(chromedp.ID("text"), "ktoś wyrzucił stary materac i lodówkę przy garażach"+kb.Enter),
		chromedp.WaitVisible(chromedp.Search(`//p[contains(., "Where did it happen?")]`)),
	)
	if got := page(); got != "en ltr" {
		t.Errorf("after a Polish message, English chosen: the page is %q", got)
	}
	// The language button: Polski.
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`#language button`)),
		chromedp.WaitVisible(button("Polski")),
		chromedp.Click(button("Polski")),
		chromedp.WaitVisible(chromedp.Search(`//p[contains(., "`+lang.T("pl", "language_set")+`")]`)),
	)
	if got := page(); got != "pl ltr" {
		t.Errorf("after choosing Polish: the page is %q", got)
	}
	all := bots()
	if last := all[len(all)-1]; last != "pl ltr" {
		t.Errorf("the Polish answer is marked %q", last)
	}
	if got := eval[string](t, ctx, `document.querySelector('#send button').textContent`); got != lang.T("pl", "web.send") {
		t.Errorf("in Polish: the send button says %q", got)
	}
	if *axeFlagOK(t) {
		checkAxe(t, ctx, "the Polish menu")
	}

	// A new chat follows the language a person writes in.
	do(t, ctx, chromedp.Navigate(s.chat+"/chat"), chromedp.WaitVisible(chromedp.ID("exit-note")))
	do(t, ctx,
		chromedp.SendKeys(chromedp.ID("text"), "ktoś wyrzucił stary materac i lodówkę przy garażach"+kb.Enter),
		chromedp.WaitVisible(chromedp.Search(`//p[contains(., "`+lang.T("pl", "where_happened")+`")]`)),
	)
	if got := page(); got != "pl ltr" {
		t.Errorf("after a Polish message in a new chat: the page is %q", got)
	}
}

// At 200% zoom on a desktop (a 640 px wide window in CSS pixels) the chat
// still fits: no sideways scrolling, the quick exit and the text box on
// screen.
func TestBrowserZoom(t *testing.T) {
	ctx := browser(t)
	s := newSite(t, Config{})
	// A 1280 by 800 screen zoomed to 200%, as the browser does it: the
	// page lays out in 640 by 400 CSS pixels, each two device pixels.
	do(t, ctx, chromedp.EmulateViewport(640, 400, chromedp.EmulateScale(2)))
	do(t, ctx, chromedp.Navigate(s.chat+"/chat"), chromedp.WaitVisible(chromedp.ID("exit-note")))
	converse(t, ctx)
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 640 {
		t.Errorf("at 200%% the page is %d CSS px wide in a 640 px window: it scrolls sideways", w)
	}
	if !eval[bool](t, ctx, `(() => { const r = document.getElementById('exit').getBoundingClientRect(); return r.right <= innerWidth && r.width >= 24; })()`) {
		t.Error("at 200% the quick exit is off screen")
	}
}

// A site not in WHERETO_WEB_ORIGINS cannot show the chat in a frame: the
// browser refuses it (frame-ancestors), so a look-alike page cannot wrap
// it.
func TestBrowserFramingRefused(t *testing.T) {
	ctx := browser(t)
	s := newSite(t, Config{})
	// The child frame's navigations, as the browser reports them.
	framed := make(chan string, 16)
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*page.EventFrameNavigated); ok && e.Frame.ParentID != "" {
			select {
			case framed <- e.Frame.URL:
			default:
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Navigate(s.neutral+"/frame"), chromedp.WaitVisible(chromedp.CSS("#f")))
	select {
	case got := <-framed:
		t.Logf("the frame went to %s", got)
		if strings.HasPrefix(got, s.chat) {
			t.Errorf("the chat was shown in another site's frame: %s", got)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the browser reported no navigation of the frame")
	}
}
