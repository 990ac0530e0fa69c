package main

import (
	"context"
	"fmt"
	"io"
	"os"

	tmhttp "trustmark/http"
)

const plansUsage = `usage: trustmark plans import --body APPROVAL_NO [--db DSN] FILE

Reports a body's audit plans from a file, as POST /api/v1/audits does one
at a time: one JSON object a line, each the body of that request
(docs/AUDITS.md), "-" for standard input. Each plan is decided on its
own (team, qualifications, bans, the IAF MD 5 minimum) and stored with its
event in the public log, or refused; a refused line, with its line number,
field and reason, stops nothing after it. A line may carry a request_id:
a file sent again then reports none of its lines twice, each line
already reported printed as such with its audit. Prints a line for each
and a summary; exits 1 when any line was refused.

Flags:
`

// runPlans is the plans command.
func runPlans(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newSubcommand("plans", plansUsage, stderr)
	if len(args) == 0 || args[0] != "import" {
		fs.Usage()
		return 2
	}
	dsn := fs.String("db", "", dbFlagHelp)
	body := fs.String("body", "", "approval number of the body whose plans these are (required)")
	if code, ok := fs.parse(args[1:]); !ok {
		return code
	}
	if *body == "" || fs.NArg() != 1 {
		return fs.fail("give --body and one FILE")
	}
	in := io.Reader(os.Stdin)
	if name := fs.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return fs.fail("%v", err)
		}
		defer f.Close()
		in = f
	}
	store, err := openRegistry(ctx, *dsn, stderr)
	if err != nil {
		return fs.fail("%v", err)
	}
	defer store.Close()
	var reported, again, refused int
	err = tmhttp.ReportPlanFile(ctx, store, *body, "body:"+*body, in, func(l tmhttp.PlanLine) error {
		if l.Err != nil {
			refused++
			fmt.Fprintf(stdout, "line %d: refused: %s\n", l.Line, cliMessage(l.Err))
			return nil
		}
		reported++
		d, action := l.Decision, l.Decision.Event.Action
		if d.Replayed {
			again++
			action = "already reported"
		}
		fmt.Fprintf(stdout, "line %d: audit %s %s", l.Line, d.Audit.ID, action)
		for _, a := range d.Anomalies {
			fmt.Fprintf(stdout, ", anomaly %s", a.Rule)
		}
		fmt.Fprintln(stdout)
		return nil
	})
	if again > 0 {
		fmt.Fprintf(stdout, "%d plans reported (%d of them reported before), %d lines refused\n", reported, again, refused)
	} else {
		fmt.Fprintf(stdout, "%d plans reported, %d lines refused\n", reported, refused)
	}
	if err != nil {
		return fs.fail("%v", err)
	}
	if refused > 0 {
		return 1
	}
	return 0
}
