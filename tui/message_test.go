package tui

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/sshcv/sshcv/profiles"
)

// fakeSender records the messages sent, or fails with err.
type fakeSender struct {
	mu   sync.Mutex
	sent []string
	err  error
}

func (f *fakeSender) SendMessage(_ context.Context, handle, from, body string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	f.sent = append(f.sent, handle+"|"+from+"|"+body)
	return nil
}

func (f *fakeSender) MaxMessage() int { return 2000 }

func (f *fakeSender) messages() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.sent...)
}

var ctrlS = tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}

// waitScreen polls the screen until it contains want.
func (s *session) waitScreen(want string) string {
	s.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		screen := s.screen()
		if strings.Contains(screen, want) {
			return screen
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("screen lacks %q after 5s:\n%s", want, screen)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func messageSession(t *testing.T, sender MessageSender, width, height int) *session {
	return startWith(t, Options{Profile: bundled(t, "rohit"), Messages: sender},
		sessionOpt{width: width, height: height, profile: colorprofile.ASCII})
}

func TestMessageIsSentAndConfirmedAt40x15(t *testing.T) {
	sender := &fakeSender{}
	s := messageSession(t, sender, 40, 15)
	s.keys("m")
	screen := s.screen()
	mustContain(t, screen, "Leave Rohit a message", "Name / how to reach you", "[ Send ]", "ctrl+s send")
	for i, row := range strings.Split(screen, "\n") {
		if w := len([]rune(row)); w > 40 {
			t.Fatalf("row %d is %d columns wide at 40x15: %q", i, w, row)
		}
	}
	if rows := strings.Count(screen, "\n") + 1; rows > 15 {
		t.Fatalf("the form has %d rows at 40x15:\n%s", rows, screen)
	}
	s.typeText("Jane, jane@example.com")
	s.keys("enter") // from the name line to the message
	s.typeText("Hi Rohit")
	s.keys("enter")
	s.typeText("let's talk")
	s.tm.Send(ctrlS)
	screen = s.waitScreen("Sent. Rohit will read it.")
	mustNotContain(t, screen, "Leave Rohit a message")
	if got := sender.messages(); len(got) != 1 || got[0] != "rohit|Jane, jane@example.com|Hi Rohit\nlet's talk" {
		t.Fatalf("sent %q", got)
	}
	// The draft is gone once sent.
	s.keys("m")
	mustNotContain(t, s.screen(), "Hi Rohit")
}

func TestMessageSendButtonWithTabAndEnter(t *testing.T) {
	sender := &fakeSender{}
	s := messageSession(t, sender, 80, 24)
	s.keys("m", "tab")
	s.typeText("Hello")
	s.keys("tab", "enter")
	s.waitScreen("Sent. Rohit will read it.")
	if got := sender.messages(); len(got) != 1 || got[0] != "rohit||Hello" {
		t.Fatalf("sent %q", got)
	}
}

func TestMessageFailureKeepsTheDraft(t *testing.T) {
	sender := &fakeSender{err: errors.New("this CV has received as many messages as it takes today; try again tomorrow")}
	s := messageSession(t, sender, 80, 24)
	s.keys("m", "tab")
	s.typeText("Please call me")
	s.tm.Send(ctrlS)
	screen := s.waitScreen("Not sent: this CV has received as many messages")
	mustContain(t, screen, "Your message is kept.", "Please call me", "Leave Rohit a message")
	mustNotContain(t, screen, "Sent. Rohit")
}

func TestMessageFailureFitsAt40x15(t *testing.T) {
	sender := &fakeSender{err: errors.New("this CV has received as many messages as it takes today; try again tomorrow")}
	s := messageSession(t, sender, 40, 15)
	s.keys("m", "tab")
	s.typeText("Please call me")
	s.tm.Send(ctrlS)
	screen := s.waitScreen("Your message is kept.")
	mustContain(t, screen, "Leave Rohit a message", "Please call me", "[ Send ]")
	if rows := strings.Count(screen, "\n") + 1; rows > 15 {
		t.Fatalf("%d rows at 40x15:\n%s", rows, screen)
	}
}

func TestEmptyMessageIsNotSent(t *testing.T) {
	sender := &fakeSender{}
	s := messageSession(t, sender, 80, 24)
	s.keys("m")
	s.tm.Send(ctrlS)
	mustContain(t, s.screen(), "Write a message first")
	if got := sender.messages(); len(got) != 0 {
		t.Fatalf("sent %q", got)
	}
}

func TestEscKeepsTheDraft(t *testing.T) {
	s := messageSession(t, &fakeSender{}, 80, 24)
	s.keys("m", "tab")
	s.typeText("half a thought")
	s.keys("esc")
	screen := s.screen()
	mustNotContain(t, screen, "Leave Rohit a message")
	mustContain(t, screen, "Rohit") // back in the viewer
	s.keys("m")
	mustContain(t, s.screen(), "Leave Rohit a message", "half a thought")
}

func TestFooterAndHelpListTheMessageKey(t *testing.T) {
	s := messageSession(t, &fakeSender{}, 120, 30)
	mustContain(t, s.screen(), "m message")
	s.keys("?")
	mustContain(t, s.screen(), "leave a message")
}

func TestNoMessageKeyWhenMessagesAreOff(t *testing.T) {
	off := *bundled(t, "rohit")
	off.Owner = profiles.OwnerOptions{MessagesOff: true}
	for name, o := range map[string]Options{
		"host":    {Profile: bundled(t, "rohit")},
		"profile": {Profile: &off, Messages: &fakeSender{}},
	} {
		t.Run(name, func(t *testing.T) {
			s := startWith(t, o, sessionOpt{width: 120, height: 30, profile: colorprofile.ASCII})
			mustNotContain(t, s.screen(), "m message")
			s.keys("m")
			mustNotContain(t, s.screen(), "Leave Rohit a message")
			s.keys("?")
			mustNotContain(t, s.screen(), "leave a message")
		})
	}
}

// TestMessageFormGolden pins the English form, styled, at 40x15 and 80x24: the
// catalogue leaves its bytes as they were.
func TestMessageFormGolden(t *testing.T) {
	for _, size := range []struct{ w, h int }{{40, 15}, {80, 24}} {
		t.Run(strconv.Itoa(size.w)+"x"+strconv.Itoa(size.h), func(t *testing.T) {
			s := startWith(t, Options{Profile: bundled(t, "rohit"), Messages: &fakeSender{}},
				sessionOpt{width: size.w, height: size.h, profile: colorprofile.ANSI256})
			s.keys("m")
			golden.RequireEqual(t, s.frame())
		})
	}
}

// TestMessageFormInTheCVsLanguage writes to the German rohit at 40x15 (German has
// the longest words): the form's words are German and it still fits.
func TestMessageFormInTheCVsLanguage(t *testing.T) {
	sender := &fakeSender{}
	o := germanOptions(t)
	o.Messages = sender
	s := startWith(t, o, sessionOpt{width: 40, height: 15, profile: colorprofile.ASCII})
	s.keys("m")
	screen := s.screen()
	mustContain(t, screen, "Nachricht an Rohit", "Name / Kontakt (freiwillig)", "Max Muster, max@example.com",
		"Nachricht  0/2000", "Ihre Nachricht", "[ Senden ]", "ctrl+s senden · tab weiter", "esc zurück")
	mustNotContain(t, screen, "Leave", "message", "Send ]", "back")
	for i, row := range strings.Split(screen, "\n") {
		if w := len([]rune(row)); w > 40 {
			t.Fatalf("row %d is %d columns wide at 40x15: %q", i, w, row)
		}
	}
	if rows := strings.Count(screen, "\n") + 1; rows > 15 {
		t.Fatalf("the form has %d rows at 40x15:\n%s", rows, screen)
	}
	s.tm.Send(ctrlS)
	s.waitScreen("Bitte erst eine Nachricht schreiben")
	s.keys("tab")
	s.typeText("Hallo Rohit")
	s.tm.Send(ctrlS)
	screen = s.waitScreen("Gesendet. Rohit wird sie lesen.")
	mustNotContain(t, screen, "Nachricht an Rohit", "Sent.")
	if got := sender.messages(); len(got) != 1 || got[0] != "rohit||Hallo Rohit" {
		t.Fatalf("sent %q", got)
	}
}

func TestMessageFailureInTheCVsLanguage(t *testing.T) {
	o := germanOptions(t)
	o.Messages = &fakeSender{err: errors.New("the message is empty")}
	s := startWith(t, o, sessionOpt{width: 80, height: 24, profile: colorprofile.ASCII})
	s.keys("m", "tab")
	s.typeText("Bitte anrufen")
	s.tm.Send(ctrlS)
	screen := s.waitScreen("Nicht gesendet: the message is empty. Ihre Nachricht bleibt erhalten.")
	mustContain(t, screen, "Bitte anrufen", "Nachricht an Rohit")
}

func TestSentLineInEachLanguage(t *testing.T) {
	p := bundled(t, "rohit")
	for lang, want := range map[string]string{
		"": "Sent. Rohit will read it.", "en": "Sent. Rohit will read it.", "it": "Sent. Rohit will read it.",
		"de": "Gesendet. Rohit wird sie lesen.", "fr": "Envoyé. Rohit le lira.",
		"es": "Enviado. Rohit lo leerá.", "pt-BR": "Enviada. Rohit vai lê-la.",
	} {
		if got := SentLine(p, lang); got != want {
			t.Errorf("SentLine(%q) = %q, want %q", lang, got, want)
		}
	}
}

// TestMessageFormWordsFitAt40Columns checks every language's form lines against the
// 38 columns a 40-column window leaves, so none is cut short.
func TestMessageFormWordsFitAt40Columns(t *testing.T) {
	const width = 40 - 2*margin
	for _, w := range catalogues {
		f := &messageForm{words: w}
		lines := append(f.keyHelp(width),
			w.f(wLeaveTitle, "Rohit"), w.get(wFromLabel), "> "+w.get(wFromPlaceholder),
			w.get(wBodyLabel)+"  2000/2000", "[ "+w.get(wSend)+" ] "+w.get(wSending))
		for _, l := range lines {
			if n := ansi.StringWidth(l); n > width {
				t.Errorf("%s: %q is %d columns, more than %d", w.lang, l, n, width)
			}
		}
	}
}
