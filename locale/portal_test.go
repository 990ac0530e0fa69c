package locale

import (
	"reflect"
	"testing"
)

// TestPortalMessagesComplete wants every string of PortalMessages in both
// languages.
func TestPortalMessagesComplete(t *testing.T) {
	for _, m := range []*PortalMessages{&zhPortal, &enPortal} {
		v := reflect.ValueOf(m).Elem()
		for i := 0; i < v.NumField(); i++ {
			f := v.Field(i)
			switch f.Kind() {
			case reflect.String:
				if f.String() == "" {
					t.Errorf("%s: empty", v.Type().Field(i).Name)
				}
			case reflect.Slice:
				if f.Len() == 0 {
					t.Errorf("%s: empty", v.Type().Field(i).Name)
				}
			}
		}
		for _, k := range []string{"uscc", "approval_no", "cma_no", "person"} {
			if m.NotFoundHints[k] == "" {
				t.Errorf("NotFoundHints[%s]: empty", k)
			}
		}
	}
}
