package locale

import (
	"reflect"
	"testing"

	"trustmark/access"
	"trustmark/account"
)

// TestAccountMessagesAreComplete wants every string of the sign-in pages
// and the workbench's home in both languages, a name for every kind of
// role, and words for every action and scope of the authorization matrix.
func TestAccountMessagesAreComplete(t *testing.T) {
	for _, m := range []*Messages{zh, en} {
		v := reflect.ValueOf(m.Accounts)
		for i := 0; i < v.NumField(); i++ {
			if f := v.Field(i); f.Kind() == reflect.String && f.String() == "" {
				t.Errorf("catalogue %s: Accounts.%s is empty", m.Lang, v.Type().Field(i).Name)
			}
		}
		for _, k := range account.Kinds {
			if m.Accounts.Kinds[k] == "" {
				t.Errorf("catalogue %s: Accounts.Kinds[%s] is empty", m.Lang, k)
			}
		}
		for _, a := range access.Actions {
			if m.Accounts.Actions[a.Action] == "" {
				t.Errorf("catalogue %s: Accounts.Actions[%s] is empty", m.Lang, a.Action)
			}
		}
		for _, r := range access.Matrix {
			if m.Accounts.Scopes[r.Scope] == "" {
				t.Errorf("catalogue %s: Accounts.Scopes[%s] is empty", m.Lang, r.Scope)
			}
		}
	}
}
