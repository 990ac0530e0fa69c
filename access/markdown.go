package access

import (
	"fmt"
	"strings"

	"trustmark/account"
)

// Markdown renders Matrix as the document docs/AUTHORIZATION.md: one row
// per action, one column per kind of role, each cell the scope within which
// that role may act ("—" where it may not). A test keeps the file equal to
// this output.
func Markdown() string {
	var b strings.Builder
	b.WriteString(`# Authorization

Who may do what in Trustmark. This file is generated from the authorization matrix
(` + "`access.Matrix`" + `), the one place the server decides from: change the matrix, then run
` + "`go test ./access/ -update`" + ` to rewrite it.

A person may hold several roles (regulator, body, lab, auditor, org), each for one unit: a
regulator's region (GB/T 2260; ` + "`000000`" + ` is the nation), a certification body, a
laboratory, a registered person, or a certified organisation. A role may take an action only
where a rule below allows it, on targets within the rule's scope. *admin* marks rules for the
unit's administrators; *logged* marks actions written to the access log that the regulator's
superiors read.

`)
	b.WriteString("| action | what |")
	for _, k := range account.Kinds {
		fmt.Fprintf(&b, " %s |", k)
	}
	b.WriteString("\n|---|---|")
	b.WriteString(strings.Repeat("---|", len(account.Kinds)))
	b.WriteString("\n")
	for _, a := range Actions {
		fmt.Fprintf(&b, "| `%s` | %s |", a.Action, a.What)
		for _, k := range account.Kinds {
			fmt.Fprintf(&b, " %s |", cell(a.Action, k))
		}
		b.WriteString("\n")
	}
	b.WriteString(`
## Scopes

| scope | the target must be |
|---|---|
| own unit | the role's own body, laboratory or organisation, the person themself, or (for a regulator) addressed to its own bureau |
| its region | in a region the regulator's region covers: a province its cities and counties, a city its counties, the nation everything |
| its region's staff | a regulator bureau within the administrator's region (its own or one below it) |
| national only | anything, for the national regulator alone |
| its persons | a person registered with the body |
| on the audit team | an audit whose team lists the auditor |

Anything not allowed above is refused with ` + "`forbidden`" + `, naming the rule
(` + "`action/kind/scope`" + `) that did not allow it.
`)
	return b.String()
}

func cell(a Action, k account.Kind) string {
	for _, r := range Matrix {
		if r.Action != a || r.Kind != k {
			continue
		}
		s := scopeNames[r.Scope]
		if r.Admin {
			s += ", *admin*"
		}
		if r.Logged {
			s += ", *logged*"
		}
		return s
	}
	return "—"
}
