package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// envFlags defines flags whose defaults come from SSHCV_* environment variables, so that
// a container or a systemd unit can configure everything without a command line. A bad
// value in the environment is reported like a bad flag, naming the variable.
type envFlags struct {
	fs   *flag.FlagSet
	errs []error
}

// parse reads a subcommand's command line: its flags and at most maxArgs arguments,
// in any order ("render rohit --format md", "render --format md rohit"; after "--"
// everything is an argument). When the command should end at once, done is true and
// code is its exit status: 0 after -h, 2 after a bad flag, a bad environment value or
// an argument too many, each said on stderr.
func (e *envFlags) parse(args []string, maxArgs int, stderr io.Writer) (rest []string, code int, done bool) {
	for len(args) > 0 {
		if a := args[0]; a == "-" || !strings.HasPrefix(a, "-") {
			rest, args = append(rest, a), args[1:]
			continue
		}
		if err := e.fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, 0, true
			}
			return nil, 2, true
		}
		left := e.fs.Args()
		if used := len(args) - len(left); used > 0 && args[used-1] == "--" {
			rest = append(rest, left...)
			break
		}
		args = left
	}
	if len(rest) > maxArgs {
		fmt.Fprintf(stderr, "sshcv %s: unexpected argument %q\n", e.fs.Name(), rest[maxArgs])
		return nil, 2, true
	}
	if err := firstErr(e.errs); err != nil {
		fmt.Fprintf(stderr, "sshcv %s: %v\n", e.fs.Name(), err)
		return nil, 2, true
	}
	return rest, 0, false
}

func (e *envFlags) lookup(env string) (string, bool) {
	v, ok := os.LookupEnv(env)
	return v, ok && v != ""
}

func (e *envFlags) String(p *string, name, env, def, usage string) {
	if v, ok := e.lookup(env); ok {
		def = v
	}
	e.fs.StringVar(p, name, def, usage+" (env "+env+")")
}

func (e *envFlags) Int(p *int, name, env string, def int, usage string) {
	if v, ok := e.lookup(env); ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("%s=%q: not a whole number", env, v))
		} else {
			def = n
		}
	}
	e.fs.IntVar(p, name, def, usage+" (env "+env+")")
}

func (e *envFlags) Float(p *float64, name, env string, def float64, usage string) {
	if v, ok := e.lookup(env); ok {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("%s=%q: not a number", env, v))
		} else {
			def = f
		}
	}
	e.fs.Float64Var(p, name, def, usage+" (env "+env+")")
}

func (e *envFlags) Bool(p *bool, name, env string, def bool, usage string) {
	if v, ok := e.lookup(env); ok {
		b, err := strconv.ParseBool(v)
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("%s=%q: expected true or false", env, v))
		} else {
			def = b
		}
	}
	e.fs.BoolVar(p, name, def, usage+" (env "+env+")")
}

func (e *envFlags) Duration(p *time.Duration, name, env string, def time.Duration, usage string) {
	if v, ok := e.lookup(env); ok {
		d, err := time.ParseDuration(v)
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("%s=%q: expected a duration such as 30s or 10m", env, v))
		} else {
			def = d
		}
	}
	e.fs.DurationVar(p, name, def, usage+" (env "+env+")")
}
