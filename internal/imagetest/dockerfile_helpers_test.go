package imagetest

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
	"github.com/sshcv/sshcv/internal/testenv"
)

// workDir holds what the tests of one run share: the build context copy and the binary.
var workDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sshcv-imagetest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	workDir = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// moduleRoot is the folder holding go.mod, the Dockerfile and .dockerignore.
func moduleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
}

// programOrSkip returns the path of an outside program. It skips the test when the
// program is missing, except under CI=true, where its absence is a failure. It is
// testenv.Program under the name deploy_test.go calls it by.
func programOrSkip(t *testing.T, name string) string {
	t.Helper()
	return testenv.Program(t, name)
}

// dockerfile is the module's Dockerfile as BuildKit reads it.
type dockerfile struct {
	path     string
	stages   []instructions.Stage
	metaArgs []instructions.ArgCommand
	lint     []string // linter warnings, "line N: rule: message"
}

func parseDockerfile(t testing.TB) *dockerfile {
	t.Helper()
	path := filepath.Join(moduleRoot(t), "Dockerfile")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	result, err := parser.Parse(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	d := &dockerfile{path: path}
	for _, w := range result.Warnings {
		d.lint = append(d.lint, fmt.Sprintf("line %d: %s", w.Location.Start.Line, w.Short))
	}
	lint := linter.New(&linter.Config{Warn: func(rule, _, _, msg string, loc []parser.Range) {
		line := 0
		if len(loc) > 0 {
			line = loc[0].Start.Line
		}
		d.lint = append(d.lint, fmt.Sprintf("line %d: %s: %s", line, rule, msg))
	}})
	d.stages, d.metaArgs, err = instructions.Parse(result.AST, lint)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(d.stages) == 0 {
		t.Fatalf("%s: no FROM", path)
	}
	return d
}

// stage returns the stage named name (FROM … AS name).
func (d *dockerfile) stage(t testing.TB, name string) *instructions.Stage {
	t.Helper()
	for i := range d.stages {
		if d.stages[i].Name == name {
			return &d.stages[i]
		}
	}
	t.Fatalf("%s: no stage named %q", d.path, name)
	return nil
}

// final is the stage the image is made of: the last one.
func (d *dockerfile) final() *instructions.Stage { return &d.stages[len(d.stages)-1] }

// metaArg returns the default of an ARG declared before the first FROM.
func (d *dockerfile) metaArg(t testing.TB, name string) string {
	t.Helper()
	for _, a := range d.metaArgs {
		for _, kv := range a.Args {
			if kv.Key == name && kv.Value != nil {
				return *kv.Value
			}
		}
	}
	t.Fatalf("%s: no ARG %s with a default before the first FROM", d.path, name)
	return ""
}

// stageArgs returns the defaults of the ARGs a stage declares.
func stageArgs(s *instructions.Stage) map[string]string {
	args := map[string]string{}
	for _, c := range s.Commands {
		if a, ok := c.(*instructions.ArgCommand); ok {
			for _, kv := range a.Args {
				args[kv.Key] = kv.ValueString()
			}
		}
	}
	return args
}

// stageEnv returns the ENV a stage sets, in order, as NAME=VALUE.
func stageEnv(s *instructions.Stage) []string {
	var env []string
	for _, c := range s.Commands {
		if e, ok := c.(*instructions.EnvCommand); ok {
			for _, kv := range e.Env {
				env = append(env, kv.Key+"="+kv.Value)
			}
		}
	}
	return env
}

// commands returns a stage's commands of one type, in order.
func commands[T instructions.Command](s *instructions.Stage) []T {
	var out []T
	for _, c := range s.Commands {
		if v, ok := c.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

// goBuild is the build stage's `go build` RUN, expanded as BuildKit's shell would for
// the given build arguments: the variables it assigns and the command's words.
type goBuild struct {
	source string
	env    []string // NAME=VALUE assignments before the command
	argv   []string // "go", "build", flags…, package
}

func (d *dockerfile) goBuild(t testing.TB, buildArgs map[string]string) goBuild {
	t.Helper()
	build := d.stage(t, "build")
	var found []*instructions.RunCommand
	for _, r := range commands[*instructions.RunCommand](build) {
		if strings.Contains(strings.Join(r.CmdLine, " "), "go build") {
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s: want exactly one RUN with go build in the build stage, found %d", d.path, len(found))
	}
	run := found[0]
	if !run.PrependShell || len(run.CmdLine) != 1 {
		t.Fatalf("%s: the go build RUN must use the shell form, so that it can expand build arguments", d.path)
	}
	vars := stageArgs(build)
	for k, v := range buildArgs {
		vars[k] = v
	}
	var env []string
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	words, err := shell.NewLex('\\').ProcessWords(run.CmdLine[0], shell.EnvsFromSlice(env))
	if err != nil {
		t.Fatalf("%s: go build RUN: %v", d.path, err)
	}
	g := goBuild{source: run.CmdLine[0]}
	assignment := regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)
	for len(words) > 0 && assignment.MatchString(words[0]) {
		g.env, words = append(g.env, words[0]), words[1:]
	}
	g.argv = words
	if len(g.argv) < 2 || g.argv[0] != "go" || g.argv[1] != "build" {
		t.Fatalf("%s: the go build RUN must be one command, [VAR=value…] go build …, got %q", d.path, words)
	}
	for _, w := range g.argv {
		if strings.ContainsAny(w, ";|&<>`") {
			t.Fatalf("%s: the go build RUN must be one command so that the tests can repeat it; found %q", d.path, w)
		}
	}
	return g
}

// flagValue returns the value of a go build flag given as -flag=value or -flag value.
func (g goBuild) flagValue(name string) (string, bool) {
	for i, w := range g.argv {
		if v, ok := strings.CutPrefix(w, "-"+name+"="); ok {
			return v, true
		}
		if w == "-"+name && i+1 < len(g.argv) {
			return g.argv[i+1], true
		}
	}
	return "", false
}

// envValue returns the value the RUN assigns to a variable.
func (g goBuild) envValue(name string) (string, bool) {
	for _, kv := range g.env {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v, true
		}
	}
	return "", false
}

// buildContext copies into dst the files of the module that Docker sends as the build
// context, by the rules of .dockerignore as BuildKit applies them, and returns their
// paths relative to the module root, with forward slashes.
func buildContext(t testing.TB, dst string) []string {
	t.Helper()
	root := moduleRoot(t)
	f, err := os.Open(filepath.Join(root, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	patterns, err := ignorefile.ReadAll(f)
	f.Close()
	if err != nil {
		t.Fatalf(".dockerignore: %v", err)
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		t.Fatalf(".dockerignore: %v", err)
	}
	var files []string
	err = filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil || rel == "." {
			return err
		}
		excluded, err := pm.MatchesOrParentMatches(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		if e.IsDir() {
			// A folder left out can still hold files let back in by a "!" pattern.
			if excluded && !pm.Exclusions() {
				return filepath.SkipDir
			}
			return nil
		}
		if excluded || !e.Type().IsRegular() {
			return nil
		}
		files = append(files, filepath.ToSlash(rel))
		return copyFile(path, filepath.Join(dst, rel))
	})
	if err != nil {
		t.Fatalf("copying the build context: %v", err)
	}
	slices.Sort(files)
	return files
}

func copyFile(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, info.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// testVersion is the VERSION build argument the tests build with.
const testVersion = "v0.0.0-imagetest"

// built is the binary that the Dockerfile's build stage makes, built once per run.
var built struct {
	once    sync.Once
	bin     string
	context string
	files   []string
	build   goBuild
	output  string
	err     error
}

// buildBinary copies the build context and runs the Dockerfile's go build line in it
// for this machine's platform, once per test run.
func buildBinary(t *testing.T) (bin string) {
	t.Helper()
	d := parseDockerfile(t)
	built.once.Do(func() {
		// Stays set if a step below stops the test, so later tests fail the same way.
		built.err = errors.New("the build failed in an earlier test")
		built.context = filepath.Join(workDir, "context")
		built.files = buildContext(t, built.context)
		built.build = d.goBuild(t, map[string]string{
			"TARGETOS":   runtime.GOOS,
			"TARGETARCH": runtime.GOARCH,
			"VERSION":    testVersion,
		})
		built.bin = filepath.Join(workDir, "out", "sshcv")
		argv := slices.Clone(built.build.argv)
		for i := range argv {
			if argv[i] == "-o" && i+1 < len(argv) {
				argv[i+1] = built.bin
			}
		}
		if _, ok := built.build.flagValue("o"); !ok {
			built.err = errors.New("the go build RUN names no -o output")
			return
		}
		goTool, err := exec.LookPath("go")
		if err != nil {
			built.err = err
			return
		}
		cmd := exec.Command(goTool, argv[1:]...)
		cmd.Dir = built.context
		cmd.Env = append(os.Environ(), built.build.env...)
		out, err := cmd.CombinedOutput()
		built.output = string(out)
		if err != nil {
			built.err = fmt.Errorf("%s (in the build context copy %s): %v", strings.Join(argv, " "), built.context, err)
			return
		}
		built.err = nil
	})
	if built.err != nil {
		t.Fatalf("building as the Dockerfile does: %v\n%s", built.err, built.output)
	}
	return built.bin
}
