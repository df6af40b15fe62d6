// Package baseline is the reference the sshcv load benchmark compares against: a bare
// Wish v2 + Bubble Tea v2 app that shows a 20-line CV in a Lip Gloss border, written the
// way a typical small app is — stock bubbletea.Middleware, stock program options, the view
// rebuilt on every call. It deliberately carries none of sshcv's tuning, so that the
// figures measured against it are the ones an ordinary Wish app would reach.
//
// The app answers the same workload as sshcv: its first frame shows FirstMarker, any
// key but q, ctrl+c and the back keys (left, shift+tab, h, p) turns to a second page
// showing SecondMarker, and q quits with exit status 0.
//
// It must not import anything from sshcv itself: it is the outside reference.
package baseline

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/activeterm"
	"charm.land/wish/v2/bubbletea"
	gossh "golang.org/x/crypto/ssh"
)

// The texts that show each page arrived, for a load test's markers.
const (
	FirstMarker  = "Rohit Gupta"
	SecondMarker = "Technical Skills"
)

// pages are the two screens of the reference CV, 20 lines each.
var pages = [2][]string{
	{
		"Rohit Gupta",
		"Backend engineer · Bengaluru, India",
		"",
		"Experience",
		"",
		"Senior Software Engineer, Fintech Co. (2021 – now)",
		"  Built the payments ledger serving 4 million accounts.",
		"  Cut p99 latency of the settlement API from 900 ms to 120 ms.",
		"",
		"Software Engineer, Logistics Startup (2018 – 2021)",
		"  Designed route batching that saved 12 % of fuel costs.",
		"  Ran the on-call rotation and wrote the incident playbooks.",
		"",
		"Software Engineer Intern, Search Company (2017)",
		"  Shipped query-suggestion ranking for regional languages.",
		"",
		"Education",
		"  B.Tech. Computer Science, IIT Delhi (2014 – 2018)",
		"",
		"→ next page   q quit",
	},
	{
		"Rohit Gupta",
		"Backend engineer · Bengaluru, India",
		"",
		"Technical Skills",
		"",
		"Languages     Go, Python, SQL, TypeScript",
		"Storage       PostgreSQL, Redis, Kafka, ClickHouse",
		"Platforms     Kubernetes, Terraform, AWS, GCP",
		"Practices     Observability, load testing, incident review",
		"",
		"Projects",
		"",
		"sshcv         CVs over SSH with Wish and Bubble Tea",
		"ledgerlint    Static checks for double-entry bookkeeping",
		"",
		"Contact",
		"  rohit@example.com · github.com/rohit",
		"",
		"",
		"← previous page   q quit",
	},
}

// model is the whole app: which page is shown. It keeps nothing else, like the small
// apps it stands for.
type model struct {
	page int
}

func (m model) Init() tea.Cmd { return nil }

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "q", "ctrl+c":
			return m, tea.Quit
		case "left", "shift+tab", "h", "p":
			m.page = 0
		default:
			m.page = 1
		}
	}
	return m, nil
}

var border = lipgloss.NewStyle().
	Border(lipgloss.RoundedBorder()).
	BorderForeground(lipgloss.Color("63")).
	Padding(0, 1)

var title = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("212"))

// View renders the page afresh on every call, as a typical app does.
func (m model) View() tea.View {
	lines := pages[m.page]
	var b strings.Builder
	b.WriteString(title.Render(lines[0]))
	for _, l := range lines[1:] {
		b.WriteByte('\n')
		b.WriteString(l)
	}
	v := tea.NewView(border.Render(b.String()))
	v.AltScreen = true
	return v
}

// NewServer returns the reference Wish server listening on addr (give "127.0.0.1:0"
// and call Serve with your own listener to pick a free port). Its host key is generated
// in memory for each server and never written to disk.
func NewServer(addr string) (*ssh.Server, error) {
	hostKey, err := ephemeralHostKeyPEM()
	if err != nil {
		return nil, err
	}
	return wish.NewServer(
		wish.WithAddress(addr),
		wish.WithHostKeyPEM(hostKey),
		wish.WithMiddleware(
			bubbletea.Middleware(func(ssh.Session) (tea.Model, []tea.ProgramOption) {
				return model{}, nil
			}),
			activeterm.Middleware(),
		),
	)
}

func ephemeralHostKeyPEM() ([]byte, error) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("baseline: generate host key: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(key, "sshcv-load baseline")
	if err != nil {
		return nil, fmt.Errorf("baseline: encode host key: %w", err)
	}
	return pem.EncodeToMemory(block), nil
}
