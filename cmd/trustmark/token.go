package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"trustmark"
	"trustmark/account"
	"trustmark/sqlstore"
)

const tokenUsage = `usage: trustmark token create [--db DSN] (--body APPROVAL_NO | --lab CMA_NO | --regulator REGION_CODE | --person REG_NO)
                            [--expires DURATION] [--label TEXT]
       trustmark token list [--db DSN] [--body APPROVAL_NO | --lab CMA_NO | --regulator REGION_CODE | --person REG_NO] [--all]
       trustmark token revoke [--db DSN] ID

create prints a new API token for a certification body, a laboratory, a
regulator (by the GB/T 2260 region it governs; 000000 is national) or a
registered person (an auditor's phone, for check-ins). Only a
hash of the token is stored: keep the printed token, it cannot be shown
again. Send it as "Authorization: Bearer TOKEN". With --expires (e.g. 90d,
720h) it stops working after that long; --label says what it is for.

list shows the tokens that work (with --all, revoked and expired ones too):
their ID, owner, label and dates, never the tokens. revoke stops the token
of an ID at once.

Flags:
`

// runToken is the token command.
func runToken(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	sub := map[string]func(context.Context, []string, io.Writer, io.Writer) int{
		"create": runTokenCreate, "list": runTokenList, "revoke": runTokenRevoke,
	}
	if len(args) == 0 || sub[args[0]] == nil {
		fmt.Fprint(stderr, tokenUsage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			return 0
		}
		return 1
	}
	return sub[args[0]](ctx, args[1:], stdout, stderr)
}

// partyFlags are the flags that name a token's party.
type partyFlags struct{ body, lab, regulator, person *string }

func newPartyFlags(fs *subcommand) partyFlags {
	return partyFlags{
		body:      fs.String("body", "", "certification body approval number, CNCA-R-YYYY-NNN"),
		lab:       fs.String("lab", "", "laboratory CMA number (12 digits)"),
		regulator: fs.String("regulator", "", "region code (GB/T 2260) the regulator governs; 000000 is national"),
		person:    fs.String("person", "", "registration number of a registered person (an auditor)"),
	}
}

func (f partyFlags) given() bool {
	return *f.body != "" || *f.lab != "" || *f.regulator != "" || *f.person != ""
}

// openRegistry opens the registry of dsn for a token command, refusing a
// place that holds none.
func openRegistry(ctx context.Context, dsn string, stderr io.Writer) (*sqlstore.DB, error) {
	if err := requireRegistry(ctx, resolveDSN(dsn)); err != nil {
		return nil, err
	}
	store, err := sqlstore.Open(ctx, resolveDSN(dsn), sqlstore.WithLogger(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	if err != nil {
		return nil, fmt.Errorf("cannot open the database: %v", err)
	}
	return store, nil
}

func runTokenCreate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newSubcommand("token create", tokenUsage, stderr)
	dsn := fs.String("db", "", dbFlagHelp)
	party := newPartyFlags(fs)
	expires := fs.String("expires", "", "how long the token works, e.g. 90d or 720h (default: until revoked)")
	label := fs.String("label", "", "what the token is for, shown by token list")
	if code, ok := fs.parse(args); !ok {
		return code
	}
	fail := fs.fail
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	p, err := tokenParty(*party.body, *party.lab, *party.regulator, *party.person)
	if err != nil {
		return fail("%s (see trustmark token create -h)", cliMessage(err))
	}
	t := account.APIToken{Owner: p, Label: *label}
	if *expires != "" {
		d, err := parseLifetime(*expires)
		if err != nil {
			return fail("--expires: %v", err)
		}
		t.Expires = time.Now().Add(d)
	}
	store, err := openRegistry(ctx, *dsn, stderr)
	if err != nil {
		return fail("%v", err)
	}
	defer store.Close()
	token, _, err := store.IssueToken(ctx, t)
	if err != nil {
		return fail("%s", cliMessage(err))
	}
	fmt.Fprintln(stdout, token)
	return 0
}

// parseLifetime reads a token's lifetime: a Go duration (720h) or a number
// of days (90d).
func parseLifetime(s string) (time.Duration, error) {
	var d time.Duration
	var err error
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		n, err = strconv.Atoi(days)
		d = time.Duration(n) * 24 * time.Hour
	} else {
		d, err = time.ParseDuration(s)
	}
	if err != nil || d <= 0 || d > 10*365*24*time.Hour {
		return 0, fmt.Errorf("%q is not a lifetime such as 90d or 720h (at most ten years)", s)
	}
	return d, nil
}

func runTokenList(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newSubcommand("token list", tokenUsage, stderr)
	dsn := fs.String("db", "", dbFlagHelp)
	party := newPartyFlags(fs)
	all := fs.Bool("all", false, "also list revoked and expired tokens")
	if code, ok := fs.parse(args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return fs.fail("unexpected argument %q", fs.Arg(0))
	}
	f := account.TokenFilter{Revoked: *all}
	if party.given() {
		p, err := tokenParty(*party.body, *party.lab, *party.regulator, *party.person)
		if err != nil {
			return fs.fail("%s (see trustmark token list -h)", cliMessage(err))
		}
		f.Owner = p
	}
	store, err := openRegistry(ctx, *dsn, stderr)
	if err != nil {
		return fs.fail("%v", err)
	}
	defer store.Close()
	ts, err := store.Tokens(ctx, f)
	if err != nil {
		return fs.fail("%s", cliMessage(err))
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tOWNER\tLABEL\tCREATED\tEXPIRES\tREVOKED")
	when := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.In(chinaTime).Format("2006-01-02 15:04")
	}
	for _, t := range ts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Owner, cmp.Or(t.Label, "-"), when(t.CreatedAt), when(t.Expires), when(t.Revoked))
	}
	tw.Flush()
	return 0
}

func runTokenRevoke(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newSubcommand("token revoke", tokenUsage, stderr)
	dsn := fs.String("db", "", dbFlagHelp)
	if code, ok := fs.parse(args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		return fs.fail("give the ID of the token to revoke, as token list shows it")
	}
	store, err := openRegistry(ctx, *dsn, stderr)
	if err != nil {
		return fs.fail("%v", err)
	}
	defer store.Close()
	t, err := store.RevokeToken(ctx, fs.Arg(0), "cli")
	if err != nil {
		return fs.fail("%s", cliMessage(err))
	}
	fmt.Fprintf(stdout, "revoked token %s of %s\n", t.ID, t.Owner)
	return 0
}

// tokenParty returns the party named by exactly one of the flags.
func tokenParty(body, lab, regulator, person string) (trustmark.Party, error) {
	n := 0
	for _, v := range []string{body, lab, regulator, person} {
		if v != "" {
			n++
		}
	}
	if n != 1 {
		return trustmark.Party{}, trustmark.Errorf(trustmark.EInvalid, "", "give exactly one of --body, --lab, --regulator or --person")
	}
	switch {
	case body != "":
		no, err := trustmark.ParseApprovalNo(body)
		return trustmark.Party{Kind: trustmark.PartyBody, ID: string(no)}, err
	case lab != "":
		no, err := trustmark.ParseCMANo(lab)
		return trustmark.Party{Kind: trustmark.PartyLab, ID: string(no)}, err
	case person != "":
		// The store checks that the registry holds the person.
		return trustmark.Party{Kind: trustmark.PartyPerson, ID: strings.TrimSpace(person)}, nil
	}
	if regulator == trustmark.NationalRegion {
		return trustmark.Party{Kind: trustmark.PartyRegulator, ID: regulator}, nil
	}
	code, err := trustmark.ParseRegionCode(regulator)
	return trustmark.Party{Kind: trustmark.PartyRegulator, ID: code}, err
}
