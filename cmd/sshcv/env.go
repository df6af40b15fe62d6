package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"
)

// envFlags defines flags whose defaults come from SSHCV_* environment variables, so that
// a container or a systemd unit can configure everything without a command line. A bad
// value in the environment is reported like a bad flag, naming the variable.
type envFlags struct {
	fs   *flag.FlagSet
	errs []error
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
