package web

import (
	"testing"

	"trustmark"
	"trustmark/locale"
)

func TestActorLabelNamesTheRegulatorsRegion(t *testing.T) {
	tests := []struct {
		m    *Messages
		want string
	}{
		{locale.Must(locale.Chinese), "监管部门 广东省 深圳市"},
		{locale.Must(locale.English), "regulator Shenzhen, Guangdong"},
	}
	for _, tt := range tests {
		t.Run("in "+tt.m.Lang, func(t *testing.T) {
			if got := actorLabel(tt.m, trustmark.PartyRegulator+":440300"); got != tt.want {
				t.Errorf("actorLabel(%s, regulator:440300) = %q, want %q", tt.m.Lang, got, tt.want)
			}
		})
	}
}
