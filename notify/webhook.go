package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/sshcv/sshcv/store"
)

// Webhook POSTs one JSON object per message to a URL. The object carries the
// message's fields and a ready-made one-line summary under "text" (what Slack shows)
// and "content" (what Discord shows); ntfy shows the body as it is.
type Webhook struct {
	URL    string
	Client *http.Client // nil: a client with a 10 s timeout
}

// NewWebhook checks rawURL (http or https) and returns the channel.
func NewWebhook(rawURL string) (*Webhook, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--notify-url %q: expected an http:// or https:// URL", rawURL)
	}
	return &Webhook{URL: rawURL, Client: &http.Client{Timeout: 10 * time.Second}}, nil
}

// Name is "webhook" (Channel).
func (w *Webhook) Name() string { return "webhook" }

// Payload is the JSON object a webhook receives.
type Payload struct {
	Handle  string    `json:"handle"`
	ID      int64     `json:"id"`
	Time    time.Time `json:"time"`
	From    string    `json:"from"`
	Message string    `json:"message"`
	Text    string    `json:"text"`
	Content string    `json:"content"`
}

// Summary is the text a notification shows: who wrote to which CV, and the message.
func Summary(m store.Message) string {
	from := m.From
	if from == "" {
		from = "someone"
	}
	return fmt.Sprintf("New message for %s from %s (sshcv inbox show %d):\n%s", m.Handle, from, m.ID, m.Body)
}

// Send posts the Payload of m to the webhook's URL (Channel).
func (w *Webhook) Send(ctx context.Context, m store.Message) error {
	text := Summary(m)
	body, err := json.Marshal(Payload{Handle: m.Handle, ID: m.ID, Time: m.Time, From: m.From, Message: m.Body, Text: text, Content: text})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "sshcv")
	client := w.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("the webhook answered %s", resp.Status)
	}
	return nil
}
