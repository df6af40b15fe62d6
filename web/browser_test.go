package web

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/sshcv/sshcv/internal/testenv"
)

// findChromium returns the browser to drive, under any of the names it is installed
// as, or skips the test when there is none (fails on CI, where .ci/run installs it).
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	return testenv.Program(t, "chromium") // none of them: skips, or fails with CI=true
}

// pageEvents collects what a tab reports: console errors, exceptions, browser log
// entries (CSP violations among them) and every request the page makes.
type pageEvents struct {
	mu       sync.Mutex
	problems []string
	requests []string
}

func (e *pageEvents) listen(ev any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert || ev.Type == runtime.ConsoleAPICalledTypeWarning {
			var args []string
			for _, a := range ev.Args {
				args = append(args, string(a.Value)+a.Description)
			}
			e.problems = append(e.problems, fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
		}
	case *runtime.EventExceptionThrown:
		e.problems = append(e.problems, fmt.Sprintf("exception: %s at %s:%d", ev.ExceptionDetails.Text, ev.ExceptionDetails.URL, ev.ExceptionDetails.LineNumber+1))
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning {
			e.problems = append(e.problems, fmt.Sprintf("log %s/%s: %s %s", ev.Entry.Source, ev.Entry.Level, ev.Entry.Text, ev.Entry.URL))
		}
	case *network.EventRequestWillBeSent:
		e.requests = append(e.requests, ev.Request.URL)
	}
}

// check reports the CSP violations, console problems and requests to other places
// seen so far; it runs last, also after a failed step.
func (e *pageEvents) check(t *testing.T, ctx context.Context, origin string) {
	t.Helper()
	if v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__cspViolations`)); err != nil {
		t.Errorf("reading the CSP violations: %v", err)
	} else if len(v) > 0 {
		t.Errorf("CSP violations: %q", v)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, p := range e.problems {
		t.Errorf("%s", p)
	}
	for _, u := range e.requests {
		if !strings.HasPrefix(u, origin+"/") && !strings.HasPrefix(u, "data:") {
			t.Errorf("the page requested %s", u)
		}
	}
	if len(e.requests) != 1 {
		t.Errorf("the page made %d requests, want just itself: %q", len(e.requests), e.requests)
	}
}

// cspWatcher runs before the page's own script and records every CSP violation.
const cspWatcher = `window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});`

// TestBrowser loads /rohit in headless Chromium on a phone and a laptop screen, light
// and dark: no console errors or CSP violations, no requests to anywhere else, no
// horizontal scrolling, every section heading, a working copy button, and a print
// stylesheet that hides the controls and prints link addresses.
func TestBrowser(t *testing.T) {
	chrome := findChromium(t)
	reg, h := bundledServer(t)
	srv := httptest.NewServer(h)
	defer srv.Close()
	artifacts := testenv.ArtifactsDir(t)

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chrome),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	defer cancelAlloc()
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	if err := chromedp.Do(browserCtx); err != nil { // starts the browser; no timeout on this one
		t.Fatalf("starting %s: %v", chrome, err)
	}
	for _, perm := range []string{"clipboard-read", "clipboard-write"} {
		if _, err := chromedp.CallBrowser(browserCtx, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: perm},
			Setting:    browser.PermissionSettingGranted,
			Origin:     srv.URL,
		}); err != nil {
			t.Fatalf("granting %s: %v", perm, err)
		}
	}

	rohit, ok := reg.Lookup("rohit")
	if !ok {
		t.Fatal("no bundled CV named rohit")
	}
	var titles []string
	for _, sec := range rohit.Sections {
		titles = append(titles, sec.Title)
	}
	command := "ssh rohit@cv.example.com"

	for _, c := range []struct {
		width, height int64
		scheme        string
		phone         bool
	}{
		{390, 844, "light", true},
		{390, 844, "dark", true},
		{1280, 800, "light", false},
		{1280, 800, "dark", false},
	} {
		name := fmt.Sprintf("%dx%d-%s", c.width, c.height, c.scheme)
		t.Run(name, func(t *testing.T) {
			tabCtx, cancelTab := chromedp.NewContext(browserCtx)
			defer cancelTab()
			events := &pageEvents{}
			if err := chromedp.Listen(tabCtx, events.listen); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(tabCtx, 60*time.Second)
			defer cancel()

			viewport := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
			if c.phone {
				viewport = append(viewport, chromedp.EmulateMobile, chromedp.EmulateTouch)
			}
			if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspWatcher}); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx,
				chromedp.EmulateViewport(c.width, c.height, viewport...),
				colorScheme("", c.scheme),
				chromedp.Navigate(srv.URL+"/rohit"),
				chromedp.WaitReady(chromedp.CSS("footer")),
			); err != nil {
				t.Fatal(err)
			}
			defer events.check(t, ctx, srv.URL)

			headings := evaluate[[]string](t, ctx, `Array.from(document.querySelectorAll("main section > h2")).map(h => h.textContent)`)
			if !slices.Equal(headings, titles) {
				t.Errorf("section headings %q, want %q", headings, titles)
			}
			scroll := evaluate[[]int](t, ctx, `[document.documentElement.scrollWidth, window.innerWidth]`)
			if scroll[0] > scroll[1] {
				t.Errorf("the page scrolls sideways: scrollWidth %d > innerWidth %d", scroll[0], scroll[1])
			}
			wantBackground := map[string]string{"light": "rgb(252, 252, 251)", "dark": "rgb(17, 19, 24)"}[c.scheme]
			if bg := evaluate[string](t, ctx, `getComputedStyle(document.body).backgroundColor`); bg != wantBackground {
				t.Errorf("%s scheme: background %s, want %s", c.scheme, bg, wantBackground)
			}

			shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(artifacts, "rohit-"+name+".png")
			if err := os.WriteFile(path, shot, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("screenshot: %s", path)

			// The copy button: a real click, then the clipboard holds the command.
			if evaluate[bool](t, ctx, `document.querySelector("button.copy").hidden`) {
				t.Fatal("the copy button is still hidden: the page's script did not run")
			}
			if _, err := chromedp.Call(ctx, page.BringToFront, cdp.Empty{}); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("button.copy"))); err != nil {
				t.Fatal(err)
			}
			status := waitFor(t, ctx, `document.querySelector(".copy-status").textContent`)
			if status != "Copied. Paste it into a terminal." {
				t.Errorf("status after the click: %q", status)
			}
			clip := evaluate[string](t, ctx, `navigator.clipboard.readText()`, chromedp.EvalAwaitPromise)
			if clip != command {
				t.Errorf("clipboard holds %q, want %q", clip, command)
			}

			if c.width == 1280 && c.scheme == "light" {
				checkPrint(t, ctx, artifacts)
			}
		})
	}
	if path := os.Getenv("SSHCV_DOCS_SCREENSHOT"); path != "" {
		t.Run("docs-screenshot", func(t *testing.T) { docsScreenshot(t, browserCtx, srv.URL+"/rohit", path) })
	}
}

// docsScreenshot saves the top of the page, as a reader first sees it, for the README:
//
//	SSHCV_DOCS_SCREENSHOT=$PWD/docs/web-rohit.png go test ./web -run TestBrowser
func docsScreenshot(t *testing.T, browserCtx context.Context, url, path string) {
	tabCtx, cancelTab := chromedp.NewContext(browserCtx)
	defer cancelTab()
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(tabCtx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(900, 720, chromedp.EmulateScale(1)),
		colorScheme("", "light"),
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS("button.copy")),
	); err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&out, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("README screenshot: %s (%d bytes)", path, out.Len())
}

// checkPrint switches to print media: one column, no buttons or navigation, and the
// addresses of labelled links printed after them.
func checkPrint(t *testing.T, ctx context.Context, artifacts string) {
	t.Helper()
	if err := chromedp.Do(ctx, colorScheme("print", "light")); err != nil {
		t.Fatal(err)
	}
	hidden := evaluate[[]string](t, ctx, `["nav.toc", "button.copy", "footer"].map(s => getComputedStyle(document.querySelector(s)).display)`)
	for i, d := range hidden {
		if d != "none" {
			t.Errorf("print: element %d is shown (display %s)", i, d)
		}
	}
	after := evaluate[string](t, ctx, `getComputedStyle(document.querySelector('header a[href="https://github.com/rohit01"]'), "::after").content`)
	if !strings.Contains(after, "https://github.com/rohit01") {
		t.Errorf("print: a labelled link does not show its address (::after %s)", after)
	}
	bare := evaluate[string](t, ctx, `getComputedStyle(document.querySelector("a.url"), "::after").content`)
	if bare != "none" && bare != "normal" {
		t.Errorf("print: a bare address is repeated (::after %s)", bare)
	}
	pdf, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(artifacts, "rohit-print.pdf")
	if err := os.WriteFile(path, pdf.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("print preview: %s", path)
	if err := chromedp.Do(ctx, colorScheme("", "light")); err != nil {
		t.Fatal(err)
	}
}

// colorScheme emulates a media type ("" for screen, or "print") and a colour scheme.
func colorScheme(media, scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Media:    media,
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	})
}

func evaluate[T any](t *testing.T, ctx context.Context, expr string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// waitFor polls a string expression until it is not empty (or the context ends).
func waitFor(t *testing.T, ctx context.Context, expr string) string {
	t.Helper()
	for {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		if v != "" {
			return v
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s stayed empty: %v", expr, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}
