// Command trustmark runs the Trustmark registry: the web pages and JSON API
// (serve), bulk import, demo data, API tokens and the traceability log's
// tools. Each subcommand lives in a file of its own; this file only
// dispatches.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"trustmark"
)

const usage = `usage: trustmark COMMAND [flags]

Commands:
  serve    run the web pages and the JSON API
  import   load registry data from CSV, JSON Lines or XLSX files
  demo     generate the realistic demo data set
  token    create, list and revoke API tokens (trustmark token create --body APPROVAL_NO)
  user     create workbench accounts (trustmark user create --email E --role ROLE ...)
  log      the traceability log (trustmark log key)
  verify   verify the traceability log of a running server
  audit    compare the log with the database's events
  draw     verify an inspection campaign's draw (trustmark draw verify --log URL --key VKEY CAMPAIGN)
  bench    measure a running server over HTTP
  sweep    raise missing check-ins and overdue surveillance audits now (serve does it hourly)
  calendar load a later year's holiday notice into the official calendar (trustmark calendar load FILE)
  plans    report a body's audit plans from a file (trustmark plans import --body APPROVAL_NO FILE)

Every command takes --db DSN: a SQLite file path or a postgres:// URL
(default $TRUSTMARK_DB, else ./trustmark.db).
Run "trustmark COMMAND -h" for a command's flags.
`

// command runs one subcommand with its arguments and returns the process
// exit code.
type command func(ctx context.Context, args []string, stdout, stderr io.Writer) int

// commands are the subcommands, each in its own file.
var commands = map[string]command{
	"serve":    runServe,
	"import":   runImport,
	"demo":     runDemo,
	"token":    runToken,
	"user":     runUser,
	"log":      runLog,
	"verify":   runVerify,
	"audit":    runAudit,
	"draw":     runDraw,
	"bench":    runBench,
	"sweep":    runSweep,
	"calendar": runCalendar,
	"plans":    runPlans,
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches args to a subcommand.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 1
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "trustmark: unknown command %q\n\n%s", args[0], usage)
		return 1
	}
	return cmd(ctx, args[1:], stdout, stderr)
}

// resolveDSN returns the database to use: the --db flag's value, else
// $TRUSTMARK_DB, else ./trustmark.db.
func resolveDSN(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if env := os.Getenv("TRUSTMARK_DB"); env != "" {
		return env
	}
	return "trustmark.db"
}

// dbFlagHelp is the help text of every command's --db flag.
const dbFlagHelp = "database: a SQLite file path or a postgres:// URL (default $TRUSTMARK_DB, else ./trustmark.db)"

// cliMessage is how a command shows an error to its operator: the message of
// a client-facing error, or the whole chain of any other (the operator may
// see internal details; API clients never do).
func cliMessage(err error) string {
	var e *trustmark.Error
	if errors.As(err, &e) && e.Err == nil {
		if e.Field != "" && !strings.Contains(e.Message, e.Field) {
			return e.Field + ": " + e.Message
		}
		return e.Message
	}
	return err.Error()
}
