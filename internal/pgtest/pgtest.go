// Package pgtest starts a real PostgreSQL server for a test: initdb and pg_ctl (from
// Debian's postgresql package) in a temporary folder, listening on a free loopback
// port, stopped and removed when the test ends. When the programs are missing the
// test is skipped, or failed under CI=true (see internal/testenv).
//
// PostgreSQL refuses to run as root, and the tests and CI may run as root: then the
// server runs as the unprivileged "postgres" user that the Debian package creates.
//
// The package is imported only by _test.go files.
package pgtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/sshcv/sshcv/internal/testenv"
)

// Server is a running PostgreSQL server owned by one test.
type Server struct {
	Host, Port string
	dir        string
	cred       *syscall.Credential
	pgCtl      string
	dbs        atomic.Int64
}

// Program returns the path of a PostgreSQL program (initdb, pg_ctl, pg_dump, …):
// from $PATH, else from Debian's /usr/lib/postgresql/VERSION/bin, the newest version.
// Missing, it skips the test (fails it under CI=true).
func Program(t testing.TB, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	sort.Slice(found, func(i, j int) bool { return versionOf(found[i]) > versionOf(found[j]) })
	if len(found) > 0 {
		return found[0]
	}
	return testenv.Program(t, name)
}

func versionOf(path string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(path))))
	return v
}

// Start initialises and starts a server, stopped when t ends. It trusts every local
// connection to user "sshcv" over 127.0.0.1 only. It does not fsync: a test's data
// need not outlive the machine, and the tests run faster.
func Start(t testing.TB) *Server { return start(t, "-c fsync=off -c full_page_writes=off") }

// StartDurable is Start with PostgreSQL's own durability (fsync on), for benchmarks
// that measure what a commit costs.
func StartDurable(t testing.TB) *Server { return start(t, "") }

func start(t testing.TB, settings string) *Server {
	t.Helper()
	initdb := Program(t, "initdb")
	s := &Server{pgCtl: Program(t, "pg_ctl")}
	dir, err := os.MkdirTemp("", "sshcv-pgtest-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	s.dir = dir
	if os.Geteuid() == 0 {
		s.cred = postgresUser(t)
		if err := os.Chown(dir, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
			t.Fatal(err)
		}
	}
	data := filepath.Join(dir, "data")
	s.run(t, initdb, "-D", data, "-U", "sshcv", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-locale")
	host, port, _ := net.SplitHostPort(testenv.FreeLoopbackAddr(t))
	s.Host, s.Port = host, port
	opts := fmt.Sprintf("-h %s -p %s -k %s -c max_connections=50 %s", host, port, dir, settings)
	s.run(t, s.pgCtl, "start", "-w", "-t", "60", "-D", data, "-l", filepath.Join(dir, "log"), "-o", opts)
	t.Cleanup(func() {
		// t.Context is done by now: the stop gets its own bound.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, s.pgCtl, "stop", "-m", "immediate", "-D", data) //nolint:gosec // pg_ctl found by Program
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
		_ = cmd.Run()
	})
	return s
}

// postgresUser returns the credentials of the unprivileged "postgres" user.
func postgresUser(t testing.TB) *syscall.Credential {
	u, err := user.Lookup("postgres")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("running as root needs the postgres user (Debian's postgresql package creates it): %v", err)
		}
		t.Skipf("running as root and there is no postgres user to run PostgreSQL as: %v", err)
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
}

func (s *Server) run(t testing.TB, prog string, args ...string) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), prog, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	cmd.Dir = s.dir
	if out, err := cmd.CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(s.dir, "log"))
		t.Fatalf("%s %v: %v\n%s\n%s", filepath.Base(prog), args, err, out, log)
	}
}

// URL returns the postgres:// URL of database name on the server.
func (s *Server) URL(name string) string {
	return fmt.Sprintf("postgres://sshcv@%s/%s?sslmode=disable", net.JoinHostPort(s.Host, s.Port), name)
}

// NewDatabase creates an empty database and returns its URL, so that several tests
// can share one server without seeing each other's tables.
func (s *Server) NewDatabase(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("test%d", s.dbs.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pgconn.Connect(ctx, s.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "CREATE DATABASE "+name).ReadAll(); err != nil {
		t.Fatalf("creating database %s: %v", name, err)
	}
	return s.URL(name)
}

// Dump returns pg_dump's plain-SQL dump of the database at url: schema and data.
func (s *Server) Dump(t testing.TB, url string) string {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), Program(t, "pg_dump"), "--no-owner", url).Output() //nolint:gosec // pg_dump found by Program
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	return string(out)
}
