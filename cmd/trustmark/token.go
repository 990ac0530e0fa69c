package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"trustmark"
	"trustmark/sqlstore"
)

const tokenUsage = `usage: trustmark token create [--db DSN] (--body APPROVAL_NO | --lab CMA_NO | --regulator REGION_CODE)

Prints a new API token for a certification body, a laboratory or a
regulator (by the GB/T 2260 region it governs; 000000 is national). Only a
hash of the token is stored: keep the printed token, it cannot be shown
again. Send it as "Authorization: Bearer TOKEN".

Flags:
`

// runToken is the token command.
func runToken(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprint(stderr, tokenUsage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			return 0
		}
		return 1
	}
	fs := newSubcommand("token create", tokenUsage, stderr)
	dsn := fs.String("db", "", dbFlagHelp)
	body := fs.String("body", "", "certification body approval number, CNCA-R-YYYY-NNN")
	lab := fs.String("lab", "", "laboratory CMA number (12 digits)")
	regulator := fs.String("regulator", "", "region code (GB/T 2260) the regulator governs; 000000 is national")
	if code, ok := fs.parse(args[1:]); !ok {
		return code
	}
	fail := fs.fail
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	party, err := tokenParty(*body, *lab, *regulator)
	if err != nil {
		return fail("%s (see trustmark token create -h)", cliMessage(err))
	}
	if err := requireRegistry(ctx, resolveDSN(*dsn)); err != nil {
		return fail("%v", err)
	}
	store, err := sqlstore.Open(ctx, resolveDSN(*dsn), sqlstore.WithLogger(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	if err != nil {
		return fail("cannot open the database: %v", err)
	}
	defer store.Close()
	token, err := store.CreateToken(ctx, party)
	if err != nil {
		return fail("%s", cliMessage(err))
	}
	fmt.Fprintln(stdout, token)
	return 0
}

// tokenParty returns the party named by exactly one of the flags.
func tokenParty(body, lab, regulator string) (trustmark.Party, error) {
	n := 0
	for _, v := range []string{body, lab, regulator} {
		if v != "" {
			n++
		}
	}
	if n != 1 {
		return trustmark.Party{}, trustmark.Errorf(trustmark.EInvalid, "", "give exactly one of --body, --lab or --regulator")
	}
	switch {
	case body != "":
		no, err := trustmark.ParseApprovalNo(body)
		return trustmark.Party{Kind: trustmark.PartyBody, ID: string(no)}, err
	case lab != "":
		no, err := trustmark.ParseCMANo(lab)
		return trustmark.Party{Kind: trustmark.PartyLab, ID: string(no)}, err
	}
	if regulator == "000000" {
		return trustmark.Party{Kind: trustmark.PartyRegulator, ID: regulator}, nil
	}
	code, err := trustmark.ParseRegionCode(regulator)
	return trustmark.Party{Kind: trustmark.PartyRegulator, ID: code}, err
}
