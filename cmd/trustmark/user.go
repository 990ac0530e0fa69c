package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"

	"trustmark/account"
)

const userUsage = `usage: trustmark user create [--db DSN] --email E --role ROLE
                           (--region CODE | --body APPROVAL_NO | --lab CMA_NO | --person REG_NO | --org USCC)
                           [--admin] [--name NAME] [--base-url URL | --addr HOST:PORT]

Creates a person's account on the workbench and prints a one-time sign-in
link, with which the person chooses a password (and, for a regulator, sets
up an authenticator app). The link works once, for 72 hours; only its hash
is stored, so keep the printed link and send it to the person.

ROLE is regulator (with --region, a GB/T 2260 code; 000000 is national: a
regulator's scope is its region and everything below it), body (--body),
lab (--lab), auditor (--person, the person's registration number) or org
(--org). --admin lets the account invite and reset the staff of its unit.
The link is on --base-url, the public address of the site, else on the
address trustmark serve listens on (--addr, default 127.0.0.1:8080).

Flags:
`

// runUser is the user command.
func runUser(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprint(stderr, userUsage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			return 0
		}
		return 1
	}
	fs := newSubcommand("user create", userUsage, stderr)
	dsn := fs.String("db", "", dbFlagHelp)
	email := fs.String("email", "", "the person's e-mail address (the sign-in name)")
	roleName := fs.String("role", "", "regulator, body, lab, auditor or org")
	name := fs.String("name", "", "the person's name as the workbench shows it (default: the e-mail name)")
	admin := fs.Bool("admin", false, "administrator of the unit: invites and resets its staff")
	base := fs.String("base-url", "", "public address of the site, for the link (e.g. https://trustmark.example.cn)")
	addr := fs.String("addr", "127.0.0.1:8080", "address trustmark serve listens on, for the link when there is no --base-url")
	units := map[account.Kind]*string{
		account.Regulator: fs.String("region", "", "region code (GB/T 2260) of a regulator; 000000 is national"),
		account.Body:      fs.String("body", "", "approval number of a certification body, CNCA-R-YYYY-NNN"),
		account.Lab:       fs.String("lab", "", "CMA number of a laboratory (12 digits)"),
		account.Auditor:   fs.String("person", "", "registration number of an auditor"),
		account.Org:       fs.String("org", "", "unified social credit code of an organisation"),
	}
	if code, ok := fs.parse(args[1:]); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return fs.fail("unexpected argument %q", fs.Arg(0))
	}
	role, err := userRole(*roleName, units, *admin)
	if err != nil {
		return fs.fail("%s (see trustmark user create -h)", err)
	}
	e, err := account.ParseEmail(*email)
	if err != nil {
		return fs.fail("--email: %s", cliMessage(err))
	}
	link, err := linkBase(*base, *addr)
	if err != nil {
		return fs.fail("%v", err)
	}
	if *name == "" {
		*name, _, _ = strings.Cut(string(e), "@")
	}
	store, err := openRegistry(ctx, *dsn, stderr)
	if err != nil {
		return fs.fail("%v", err)
	}
	defer store.Close()
	ch, token, err := account.Invite(rand.Reader, e, *name, []account.Role{role}, account.FirstSignIn, "cli", time.Now())
	if err != nil {
		return fs.fail("%s", cliMessage(err))
	}
	if err := store.Apply(ctx, ch); err != nil {
		return fs.fail("%s", cliMessage(err))
	}
	fmt.Fprintf(stderr, "created account %s for %s as %s; the link works once, until %s\n",
		ch.NewAccount.ID, e, role, ch.Link.Expires.In(chinaTime).Format("2006-01-02 15:04 (China time)"))
	fmt.Fprintln(stdout, link+account.LinkPath(token))
	return 0
}

var chinaTime = time.FixedZone("CST", 8*3600)

// userRole returns the role named by --role and the one unit flag that goes
// with it.
func userRole(kind string, units map[account.Kind]*string, admin bool) (account.Role, error) {
	if kind == "" {
		return account.Role{}, fmt.Errorf("--role is required")
	}
	k, err := account.ParseKind(kind)
	if err != nil {
		return account.Role{}, fmt.Errorf("--role: %s", cliMessage(err))
	}
	flagOf := map[account.Kind]string{account.Regulator: "--region", account.Body: "--body", account.Lab: "--lab", account.Auditor: "--person", account.Org: "--org"}
	for other, v := range units {
		if other != k && *v != "" {
			return account.Role{}, fmt.Errorf("%s is not for --role %s, which takes %s", flagOf[other], k, flagOf[k])
		}
	}
	if *units[k] == "" {
		return account.Role{}, fmt.Errorf("--role %s needs %s", k, flagOf[k])
	}
	r, err := account.ParseRole(k, *units[k], admin)
	if err != nil {
		return account.Role{}, fmt.Errorf("%s: %s", flagOf[k], cliMessage(err))
	}
	return r, nil
}

// linkBase returns the address one-time links are on: base when given,
// else the address serve listens on (which, like serve, shows an
// unspecified host as localhost).
func linkBase(base, addr string) (string, error) {
	if base != "" {
		u, err := url.Parse(base)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return "", fmt.Errorf("--base-url %q is not an http(s) address without a path", base)
		}
		return strings.TrimSuffix(base, "/"), nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" || port == "0" {
		return "", fmt.Errorf("--addr %q is not HOST:PORT with a port", addr)
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port), nil
}
