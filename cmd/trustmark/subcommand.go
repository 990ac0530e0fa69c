package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// subcommand is what every subcommand shares: a flag set whose -h prints the
// command's usage text, and failing with the command's name on stderr.
type subcommand struct {
	*flag.FlagSet
	name   string
	stderr io.Writer
}

// newSubcommand returns the flag set of "trustmark name"; usage is printed
// before the flags' defaults (nothing when usage is "").
func newSubcommand(name, usage string, stderr io.Writer) *subcommand {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	return &subcommand{FlagSet: fs, name: name, stderr: stderr}
}

// parse parses args. When ok is false the command must return code: 0 after
// -h, 1 after a bad flag (the flag package has already said why).
func (c *subcommand) parse(args []string) (code int, ok bool) {
	if err := c.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, false
		}
		return 1, false
	}
	return 0, true
}

// fail prints "trustmark NAME: message" and returns exit status 1.
func (c *subcommand) fail(format string, a ...any) int {
	fmt.Fprintf(c.stderr, "trustmark "+c.name+": "+format+"\n", a...)
	return 1
}
