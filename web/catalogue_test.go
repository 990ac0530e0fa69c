package web

import (
	"reflect"

	"trustmark"
)

// missingMessages lists the empty strings and map entries of m.
func missingMessages(m *Messages) []string {
	optional := map[string]bool{"LogNone": true, "DataNote": true}
	var out []string
	v := reflect.ValueOf(m).Elem()
	for i := 0; i < v.NumField(); i++ {
		f, name := v.Field(i), v.Type().Field(i).Name
		switch f.Kind() {
		case reflect.String:
			if f.String() == "" && !optional[name] {
				out = append(out, name)
			}
		}
	}
	for _, s := range trustmark.CertStatuses {
		if m.CertStatusNames[s] == "" {
			out = append(out, "CertStatusNames["+string(s)+"]")
		}
	}
	for _, s := range []trustmark.PartyStatus{trustmark.PartyActive, trustmark.PartySuspended, trustmark.PartyRevoked, trustmark.PartyBanned} {
		if m.PartyStatusNames[s] == "" {
			out = append(out, "PartyStatusNames["+string(s)+"]")
		}
	}
	for _, ct := range trustmark.CertTypes {
		if m.CertTypeNames[ct] == "" {
			out = append(out, "CertTypeNames["+string(ct)+"]")
		}
	}
	for _, a := range []string{trustmark.ActionCreated, trustmark.ActionUpdated, trustmark.ActionIssued, trustmark.ActionStatusChanged, trustmark.ActionExpired} {
		if m.ActionNames[a] == "" {
			out = append(out, "ActionNames["+a+"]")
		}
	}
	for _, k := range []string{"uscc", "approval_no", "cma_no", "ccc", "organic_code", "organic_cert", "report", "certificate", "person", "body", "lab"} {
		if m.IDNames[k] == "" {
			out = append(out, "IDNames["+k+"]")
		}
	}
	return out
}
